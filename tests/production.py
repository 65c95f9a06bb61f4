"""The site as it runs in production, in processes of its own: the production settings' environment, its
`manage.py`, and gunicorn serving it. For the tests that make their own database (marked `worker` or
`standalone`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET_KEY = "w0rk3r-t3st-k3y-Qp9zT7wL2rYx8bN4mF6hJ1sD5cV0gEaUoPiRyWuQtZ"
HOST = "127.0.0.1"


def production_env(database_url: str, folder: Path, **settings: str) -> dict[str, str]:
    """The environment of the production settings on `database_url`: media and emails in `folder`, the cache
    in each process's memory (no REDIS_URL), plain HTTP on 127.0.0.1; `settings` adds or replaces variables."""
    hidden = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "EMAIL_BACKEND", "REDIS_URL"}
    return {key: value for key, value in os.environ.items() if key not in hidden} | {
        "DJANGO_SETTINGS_MODULE": "casi_site.settings.production",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": f"casi.example.org,{HOST}",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(folder / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(folder / "outbox"),
        **settings,
    }


def manage(env: dict[str, str], *args: str) -> str:
    """Run `manage.py` with `args`; fail with its error output unless it succeeds; return its output."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def shell(env: dict[str, str], code: str) -> str:
    """The last line `code` prints, run as an operator's `manage.py shell -c` would."""
    return manage(env, "shell", "--no-imports", "-c", code).strip().splitlines()[-1]


def gunicorn_start(env: dict[str, str], folder: Path, port: int, *, workers: int) -> subprocess.Popen:
    """gunicorn serving the site on 127.0.0.1:`port`, as the README's production section runs it; its log in
    `folder`/gunicorn.log. Each instance has its own control socket (gunicorn's default path is shared)."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "--chdir", "site", "casi_site.wsgi:application", "-b", f"{HOST}:{port}"]
    command += ["-w", str(workers), "--control-socket", str(folder / "gunicorn.ctl")]
    with (folder / "gunicorn.log").open("a") as log:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)


_CONSOLE = r"""
import contextlib, io, json, sys, traceback
for line in sys.stdin:
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            exec(json.loads(line), {})
        answer = {"ok": True, "printed": printed.getvalue()}
    except Exception:
        answer = {"ok": False, "printed": printed.getvalue() + traceback.format_exc()}
    sys.__stdout__.write(json.dumps(answer) + "\n")
    sys.__stdout__.flush()
"""


class Console:
    """One `manage.py shell` kept open: each `run(code)` is what an operator's `manage.py shell -c` would do,
    without starting Django again (a second instead of several on a busy machine)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", _CONSOLE],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, code: str) -> str:
        """What `code` prints; fails with its traceback if it raises."""
        self.process.stdin.write(json.dumps(code) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline() or '{"ok": false, "printed": "the console stopped"}')
        assert answer["ok"], answer["printed"]
        return answer["printed"]

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
