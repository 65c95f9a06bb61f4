"""Validators of French legal identifiers, with French messages (check digits by python-stdnum)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren, siret

_RNA = re.compile(r"W\d{9}")


def compact_identifier(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "").upper()


def validate_rna(value: str) -> None:
    """RNA: the national register of associations, a W followed by nine digits."""
    if not _RNA.fullmatch(compact_identifier(value)):
        raise ValidationError(_("An RNA number is a W followed by 9 digits (e.g. W291000123)."), code="invalid_rna")


def _check_digits(module, value: str, message: str, code: str) -> None:
    try:
        module.validate(compact_identifier(value))
    except StdnumError as exc:
        raise ValidationError(message, code=code) from exc


def validate_siren(value: str) -> None:
    _check_digits(
        siren, value, _("This SIREN number is not valid: 9 digits with a correct check digit."), "invalid_siren"
    )


def validate_siret(value: str) -> None:
    _check_digits(
        siret, value, _("This SIRET number is not valid: 14 digits with a correct check digit."), "invalid_siret"
    )
