"""Registry of paper layouts: one builder per `doc_type`."""

from __future__ import annotations

import random
from collections.abc import Callable

from pipeline.samples import assets, citizen, civil, idcard, official, residence
from pipeline.samples.compose import Style
from pipeline.samples.papers import Document

Builder = Callable[[random.Random, Style], Document]

LAYOUTS: dict[str, Builder] = {
    "citizen_id_card": idcard.citizen_id_card,
    "birth_certificate": civil.birth_certificate,
    "marriage_certificate": civil.marriage_certificate,
    "marital_status_certificate": civil.marital_status_certificate,
    "death_extract": civil.death_extract,
    "residence_confirmation": residence.residence_confirmation,
    "household_book": residence.household_book,
    "land_use_certificate": assets.land_use_certificate,
    "business_registration": assets.business_registration,
    "administrative_decision": official.administrative_decision,
    "official_letter": official.official_letter,
    "application_form": citizen.application_form,
    "power_of_attorney": citizen.power_of_attorney,
    "dossier_receipt": official.dossier_receipt,
}
DOC_TYPES: tuple[str, ...] = tuple(LAYOUTS)
