// Instant search, reuse panel, upload and small keyboard helpers. No build step, no CDN.
"use strict";
(function () {
  const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  const DOC_TYPE_VI = {
    citizen_id_card: "Căn cước", birth_certificate: "Giấy khai sinh", marriage_certificate: "GCN kết hôn",
    marital_status_certificate: "XN tình trạng hôn nhân", death_extract: "Trích lục khai tử",
    residence_confirmation: "XN thông tin cư trú", household_book: "Sổ hộ khẩu",
    land_use_certificate: "GCN quyền sử dụng đất", business_registration: "Đăng ký doanh nghiệp",
    administrative_decision: "Quyết định", official_letter: "Công văn", application_form: "Đơn / Tờ khai",
    power_of_attorney: "Giấy ủy quyền", dossier_receipt: "Giấy tiếp nhận hồ sơ", other: "Khác",
  };
  const FIELD_VI = { full_name: "Họ tên", date_of_birth: "Ngày sinh", id_number: "Số định danh",
    issue_date: "Ngày cấp", document_number: "Số", issuing_authority: "Cơ quan cấp",
    business_code: "Mã số DN", certificate_serial: "Số phát hành", dossier_code: "Mã hồ sơ" };
  const DATE_FIELDS = new Set(["date_of_birth", "issue_date", "expiry_date", "first_registration_date",
    "received_date", "appointment_date"]);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined) node.setAttribute(k, v);
    }
    for (const c of children) node.append(c);
    return node;
  }
  function dmy(v) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(v || ""));
    return m ? `${m[3]}/${m[2]}/${m[1]}` : String(v || "");
  }
  // Highlights arrive as escaped text with <em> marks: keep text and <em> only.
  function highlighted(html) {
    const tpl = document.createElement("template");
    tpl.innerHTML = html;
    const out = document.createDocumentFragment();
    tpl.content.childNodes.forEach((n) => {
      if (n.nodeType === Node.TEXT_NODE) out.append(n.textContent);
      else if (n.nodeName === "EM") out.append(el("em", {}, n.textContent));
      else out.append(n.textContent || "");
    });
    return out;
  }
  // Officers type dates as dd/mm/yyyy; the API takes yyyy-mm-dd.
  function toIso(v) {
    const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(String(v || ""));
    if (!m) return null;
    const iso = `${m[3]}-${m[2].padStart(2, "0")}-${m[1].padStart(2, "0")}`;
    const d = new Date(iso + "T00:00:00Z");
    return isNaN(d) || d.toISOString().slice(0, 10) !== iso ? null : iso;
  }
  function reuseTable(documents) {
    const rows = documents.map((d) => el("tr", {},
      el("td", {}, el("a", { href: "/records/" + encodeURIComponent(d.id) }, DOC_TYPE_VI[d.doc_type] || d.doc_type)),
      el("td", {}, dmy(d.issue_date) || "–"),
      el("td", {}, el("span", { class: "badge " + (d.reusable ? "ok" : "bad") }, d.reusable ? "Dùng lại được" : "Không dùng lại")),
      el("td", { class: "small" }, d.reason_vi || d.reason)));
    return el("table", { class: "reuse-table" }, el("thead", {}, el("tr", {}, el("th", {}, "Giấy tờ"), el("th", {}, "Ngày cấp"),
      el("th", {}, "Tái sử dụng"), el("th", {}, "Lý do"))), el("tbody", {}, ...rows));
  }
  async function getJSON(url) {
    const r = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (r.status === 401) { location.href = "/login?next=" + encodeURIComponent(location.pathname + location.search); }
    const body = await r.json();
    if (!r.ok) throw new Error((body.error && body.error.message) || r.statusText);
    return body;
  }

  // ---- search page ---------------------------------------------------------------------
  const app = document.getElementById("search-app");
  if (app) {
    const q = document.getElementById("q");
    const ids = ["doc_type", "issued_from", "issued_to", "born_from", "born_to", "sort"];
    const inputs = Object.fromEntries(ids.map((i) => [i, document.getElementById(i)]));
    const hits = document.getElementById("hits");
    const summary = document.getElementById("summary");
    const facetsBox = document.getElementById("facets");
    const pager = document.getElementById("pager");
    const suggestions = document.getElementById("suggestions");
    let page = 1, timer = null, seq = 0, authority = "";

    const params = new URLSearchParams(location.search);
    q.value = params.get("q") || "";
    const DAYS = new Set(["issued_from", "issued_to", "born_from", "born_to"]);
    ids.forEach((i) => { if (params.get(i)) inputs[i].value = DAYS.has(i) ? dmy(params.get(i)) : params.get(i); });
    authority = params.get("authority") || "";
    page = parseInt(params.get("page") || "1", 10) || 1;

    function query() {
      const p = new URLSearchParams();
      if (q.value.trim()) p.set("q", q.value.trim());
      ids.forEach((i) => {
        const v = inputs[i].value.trim();
        if (!v || (i === "sort" && v === "relevance")) return;
        if (DAYS.has(i)) {
          const iso = toIso(v);
          inputs[i].setAttribute("aria-invalid", String(!iso));
          if (iso) p.set(i, iso);
        } else p.set(i, v);
      });
      if (authority) p.set("authority", authority);
      if (page > 1) p.set("page", page);
      return p;
    }
    function hasCriteria(p) { return [...p.keys()].some((k) => k !== "page" && k !== "sort"); }

    async function run() {
      const p = query();
      history.replaceState(null, "", p.toString() ? "/?" + p : "/");
      if (!hasCriteria(p)) {
        reuseBox.replaceChildren(); hits.replaceChildren(); pager.replaceChildren(); facetsBox.replaceChildren(); suggestions.replaceChildren();
        summary.textContent = "Nhập từ khóa để tìm. Có thể gõ không dấu: “nguyen thi lan”.";
        return;
      }
      const mine = ++seq;
      summary.textContent = "Đang tìm…";
      try {
        p.set("size", "20");
        const data = await getJSON("/api/v1/search?" + p);
        if (mine !== seq) return;
        render(data);
      } catch (e) {
        if (mine === seq) summary.textContent = "Lỗi: " + e.message;
      }
    }
    function schedule() { clearTimeout(timer); page = 1; timer = setTimeout(run, 150); }

    // An ID number in the box: show that person's reusable papers above the hits.
    const reuseBox = document.getElementById("search-reuse");
    async function showReuse(text) {
      const digits = text.replace(/[\s.]/g, "");
      if (!/^(\d{9}|\d{12})$/.test(digits)) { reuseBox.replaceChildren(); return; }
      try {
        const data = await getJSON("/api/v1/reuse/" + digits);
        if (!data.documents.length) { reuseBox.replaceChildren(); return; }
        const ok = data.documents.filter((d) => d.reusable).length;
        reuseBox.replaceChildren(el("h2", {}, `Giấy tờ của người có số ${data.id_number}: ${ok}/${data.documents.length} dùng lại được`),
          reuseTable(data.documents));
      } catch (e) { reuseBox.replaceChildren(); }
    }

    function render(data) {
      showReuse(q.value.trim());
      summary.textContent = data.total ? `Tìm thấy ${data.total} giấy tờ` + (data.pages > 1 ? ` · trang ${data.page}/${data.pages}` : "")
                                       : "Không tìm thấy giấy tờ nào.";
      hits.replaceChildren(...data.hits.map(hitItem));
      renderFacets(data.facets || {});
      renderPager(data);
      suggestions.replaceChildren(...(data.suggestions || []).map((s) => {
        const b = el("button", { type: "button", class: "link" }, s.query);
        b.addEventListener("click", () => { q.value = s.query; schedule(); });
        return el("p", { class: "suggest" }, "Có thể bạn tìm: ", b, ` (${s.total})`);
      }));
    }
    function hitItem(h) {
      const f = h.fields || {};
      const name = (h.highlight && h.highlight["person.name"]) ? highlighted(h.highlight["person.name"][0]) : (f.full_name || f.business_name || f.subject || h.source_file || "");
      const kvs = el("div", { class: "kvs" });
      for (const [k, label] of Object.entries(FIELD_VI)) {
        if (k === "full_name" || f[k] === undefined || f[k] === null) continue;
        kvs.append(el("span", {}, el("b", {}, label + ": "), DATE_FIELDS.has(k) ? dmy(f[k]) : String(f[k])));
      }
      const link = el("a", { class: "open", href: "/records/" + encodeURIComponent(h.id) },
        el("div", { class: "title" }, name),
        el("div", { class: "meta" }, (DOC_TYPE_VI[h.doc_type] || h.doc_type) + " · " + (h.source_file || "")),
        kvs);
      const frag = h.highlight && h.highlight.text;
      if (frag && frag.length) link.append(el("div", { class: "snippet" }, highlighted("… " + frag.slice(0, 2).join(" … ") + " …")));
      return el("li", { class: "hit" }, link);
    }
    function renderFacets(facets) {
      const boxes = [];
      const types = facets.doc_type || [];
      if (types.length) {
        const box = el("div", { class: "facet" }, el("h3", {}, "Loại giấy tờ"));
        types.forEach((b) => {
          const on = inputs.doc_type.value === b.value;
          const btn = el("button", { type: "button", "aria-pressed": String(on) },
            el("span", {}, DOC_TYPE_VI[b.value] || b.value), el("span", { class: "count" }, String(b.count)));
          btn.addEventListener("click", () => { inputs.doc_type.value = on ? "" : b.value; schedule(); });
          box.append(btn);
        });
        boxes.push(box);
      }
      const agencies = facets.issuing_authority || [];
      if (agencies.length) {
        const box = el("div", { class: "facet" }, el("h3", {}, "Cơ quan cấp"));
        agencies.forEach((b) => {
          const on = authority === b.value;
          const btn = el("button", { type: "button", "aria-pressed": String(on) },
            el("span", {}, b.value), el("span", { class: "count" }, String(b.count)));
          btn.addEventListener("click", () => { authority = on ? "" : b.value; schedule(); });
          box.append(btn);
        });
        boxes.push(box);
      }
      const years = facets.issue_year || [];
      if (years.length) {
        const box = el("div", { class: "facet" }, el("h3", {}, "Năm cấp"));
        years.forEach((b) => {
          const btn = el("button", { type: "button" }, el("span", {}, b.value), el("span", { class: "count" }, String(b.count)));
          btn.addEventListener("click", () => { inputs.issued_from.value = "01/01/" + b.value; inputs.issued_to.value = "31/12/" + b.value; schedule(); });
          box.append(btn);
        });
        boxes.push(box);
      }
      facetsBox.replaceChildren(...boxes);
    }
    function renderPager(data) {
      const items = [];
      if (data.page > 1) items.push(pageButton("← Trước", data.page - 1));
      if (data.page < data.pages) items.push(pageButton("Sau →", data.page + 1));
      pager.replaceChildren(...items);
    }
    function pageButton(label, n) {
      const b = el("button", { type: "button" }, label);
      b.addEventListener("click", () => { page = n; run(); window.scrollTo(0, 0); });
      return b;
    }

    q.addEventListener("input", schedule);
    ids.forEach((i) => inputs[i].addEventListener("change", schedule));
    DAYS.forEach((i) => inputs[i].addEventListener("input", () => { const v = inputs[i].value.trim(); if (!v || toIso(v)) schedule(); }));
    document.getElementById("search-form").addEventListener("submit", (e) => { e.preventDefault(); clearTimeout(timer); page = 1; run(); });
    document.getElementById("clear-filters").addEventListener("click", () => {
      ids.forEach((i) => { inputs[i].value = i === "sort" ? "relevance" : ""; }); authority = ""; schedule();
    });
    // Keyboard: "/" focuses the box; arrows move through results.
    document.addEventListener("keydown", (e) => {
      const links = [...hits.querySelectorAll("a.open")];
      const at = links.indexOf(document.activeElement);
      if (e.key === "/" && document.activeElement !== q && !/INPUT|SELECT|TEXTAREA/.test(document.activeElement.tagName)) {
        e.preventDefault(); q.focus(); q.select();
      } else if (e.key === "ArrowDown" && (document.activeElement === q || at >= 0) && links.length) {
        e.preventDefault(); links[Math.min(at + 1, links.length - 1)].focus();
      } else if (e.key === "ArrowUp" && at >= 0) {
        e.preventDefault(); if (at === 0) q.focus(); else links[at - 1].focus();
      }
    });
    if (hasCriteria(query())) run();
  }

  // ---- record page: back link keeps the search, reuse panel, add-field -----------------------
  const back = document.getElementById("back-link");
  if (back && document.referrer) {
    try { const r = new URL(document.referrer); if (r.origin === location.origin && r.pathname === "/") back.href = r.pathname + r.search; } catch (e) { /* ignore */ }
  }
  const reuse = document.getElementById("reuse-panel");
  if (reuse) {
    getJSON("/api/v1/reuse/" + encodeURIComponent(reuse.dataset.idNumber)).then((data) => {
      reuse.querySelector("p").replaceWith(data.documents.length ? reuseTable(data.documents) : el("p", { class: "muted" }, "Không có giấy tờ nào khác."));
    }).catch((e) => { reuse.querySelector("p").textContent = "Không tra cứu được: " + e.message; });
  }
  const addField = document.querySelector("[data-add-field]");
  if (addField) {
    const value = document.getElementById("add-value");
    addField.addEventListener("change", () => { value.name = addField.value ? "field." + addField.value : ""; });
  }

  // ---- upload (review page) ---------------------------------------------------------------
  const upload = document.getElementById("upload-form");
  if (upload) {
    const out = document.getElementById("upload-result");
    upload.addEventListener("submit", async (e) => {
      e.preventDefault();
      const button = upload.querySelector("button");
      button.disabled = true; out.textContent = "Đang tải lên và nhận dạng…";
      try {
        const r = await fetch("/api/v1/ingest", { method: "POST", body: new FormData(upload), headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" });
        const body = await r.json();
        if (!r.ok) throw new Error((body.error && body.error.message) || r.statusText);
        out.replaceChildren(el("p", { class: "notice" }, body.status === "duplicate" ? "Tệp này đã có trong kho." : `Đã số hóa ${body.pages} trang.`),
          ...body.documents.map((d) => el("p", {}, el("a", { href: "/records/" + encodeURIComponent(d.id) }, DOC_TYPE_VI[d.doc_type] || d.doc_type), d.needs_review ? " · cần duyệt" : "")));
        upload.reset();
      } catch (err) {
        out.replaceChildren(el("p", { class: "alert" }, "Không tải lên được: " + err.message));
      } finally { button.disabled = false; }
    });
  }
})();
