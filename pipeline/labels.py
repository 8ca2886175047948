"""Vietnamese display labels of the doc_type and field vocabularies (CLI tables, web pages)."""

from __future__ import annotations

DOC_TYPE_VI = {
    "citizen_id_card": "Căn cước",
    "birth_certificate": "Giấy khai sinh",
    "marriage_certificate": "GCN kết hôn",
    "marital_status_certificate": "XN tình trạng hôn nhân",
    "death_extract": "Trích lục khai tử",
    "residence_confirmation": "XN thông tin cư trú",
    "household_book": "Sổ hộ khẩu",
    "land_use_certificate": "GCN quyền sử dụng đất",
    "business_registration": "Đăng ký doanh nghiệp",
    "administrative_decision": "Quyết định",
    "official_letter": "Công văn",
    "application_form": "Đơn / Tờ khai",
    "power_of_attorney": "Giấy ủy quyền",
    "dossier_receipt": "Giấy tiếp nhận hồ sơ",
    "other": "Khác",
}
FIELD_VI = {
    "full_name": "Họ và tên", "date_of_birth": "Ngày sinh", "gender": "Giới tính",
    "id_number": "Số định danh", "nationality": "Quốc tịch", "ethnicity": "Dân tộc",
    "place_of_origin": "Quê quán", "place_of_residence": "Nơi thường trú",
    "place_of_birth": "Nơi sinh", "father_name": "Họ tên cha", "mother_name": "Họ tên mẹ",
    "husband_name": "Họ tên chồng", "wife_name": "Họ tên vợ",
    "marital_status": "Tình trạng hôn nhân", "document_number": "Số văn bản",
    "book_number": "Quyển số", "issue_date": "Ngày cấp", "expiry_date": "Có giá trị đến",
    "issuing_authority": "Cơ quan cấp", "subject": "Trích yếu", "signer_name": "Người ký",
    "business_code": "Mã số doanh nghiệp", "business_name": "Tên doanh nghiệp",
    "head_office_address": "Địa chỉ trụ sở chính",
    "first_registration_date": "Đăng ký lần đầu", "certificate_serial": "Số phát hành",
    "land_parcel_number": "Thửa đất số", "map_sheet_number": "Tờ bản đồ số",
    "land_area_m2": "Diện tích (m²)", "land_address": "Địa chỉ thửa đất",
    "dossier_code": "Mã hồ sơ", "procedure_name": "Thủ tục",
    "received_date": "Ngày nhận hồ sơ", "appointment_date": "Ngày hẹn trả",
}  # fmt: skip
