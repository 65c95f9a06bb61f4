"""The `--lease` option of the commands run before the task worker starts again (`casi_*_resume`)."""

from __future__ import annotations

from argparse import ArgumentParser

from django.utils.translation import gettext as _


def lease_argument_add(parser: ArgumentParser, *, setting: str) -> None:
    parser.add_argument(
        "--lease",
        type=float,
        default=None,
        help=_(
            "Seconds after which an email still being sent counts as interrupted "
            "(default: the %(setting)s setting; 0 when no worker runs at all)."
        )
        % {"setting": setting},
    )
