"""No secret is committed: the tracked files hold no key or password, and local secrets stay untracked."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What a leaked secret looks like, wherever it is.
SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN ((RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----"),
    "AWS access key id": re.compile(r"\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b"),
    "AWS secret access key": re.compile(
        r"aws_secret_access_key\s*[=:]\s*['\"]?[A-Za-z0-9/+=]{40}\b", re.IGNORECASE
    ),
    "hard-coded SECRET_KEY": re.compile(r"\bSECRET_KEY\s*[=:]\s*[rbf]?['\"][^'\"]+['\"]"),
    "credentials in a URL": re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s/:@'\"$]+:[^\s/@'\"$]+@[\w.-]+"),
}
# Passwords are never written in the settings: they come from the environment.
SETTINGS_PASSWORD = re.compile(
    r"""(?ix)
    \b[\w]*PASSWORD\s*=\s*[rbf]?['"][^'"]+['"]      # FOO_PASSWORD = "..."
    | ['"][\w]*PASSWORD['"]\s*:\s*[rbf]?['"][^'"]+['"]  # "PASSWORD": "..."
    """
)
# Files each installation makes for itself and that must never be committed.
LOCAL_SECRETS = [".secret_key", ".admin_password", ".demo_password_editor", "db.sqlite3", "media/image.jpg"]


def git(*args):
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def tracked_files():
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the tracked files are unknown")
    listing = git("ls-files", "-z")
    assert listing.returncode == 0, listing.stderr
    return [name for name in listing.stdout.split("\0") if name]


def text_of(name):
    """The file's text, or None for a binary file (or one deleted from the work tree)."""
    path = ROOT / name
    if not path.is_file():
        return None
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace")


def findings(name, text, patterns):
    return [
        f"{name}:{text.count(chr(10), 0, match.start()) + 1}: {label}"
        for label, pattern in patterns.items()
        for match in pattern.finditer(text)
    ]


def test_the_scan_recognises_each_kind_of_secret():
    samples = {
        "private key": "-----BEGIN RSA " + "PRIVATE KEY-----",
        "AWS access key id": "key = " + "AKIA" + "Q3EGRIJ5XHKZ7P2M",
        "AWS secret access key": "aws_secret_access_key = " + "a" * 40,
        "hard-coded SECRET_KEY": "SECRET_KEY" + ' = "django-insecure-abc"',
        "credentials in a URL": "postgres://book:" + "s3cret@db.example.org/book",
    }
    for label, sample in samples.items():
        assert [found.split(": ", 1)[1] for found in findings("sample", sample, SECRET_PATTERNS)] == [label]
    assert SETTINGS_PASSWORD.search('EMAIL_HOST_PASSWORD = "hunter2"')
    assert SETTINGS_PASSWORD.search('{"PASSWORD": "hunter2"}')
    assert not SETTINGS_PASSWORD.search('EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")')
    assert not findings("sample", 'SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")', SECRET_PATTERNS)
    assert not findings(
        "sample", "redis://127.0.0.1:6379/0 postgres://root@127.0.0.1:5432/book", SECRET_PATTERNS
    )


def test_no_tracked_file_holds_a_key_or_a_credential(tracked_files):
    found = []
    for name in tracked_files:
        text = text_of(name)
        if text is not None:
            found += findings(name, text, SECRET_PATTERNS)
    assert not found, "secrets in tracked files:\n" + "\n".join(found)


def test_settings_hold_no_password(tracked_files):
    settings_files = [
        name for name in tracked_files if name.startswith("cms/settings/") and name.endswith(".py")
    ]
    assert "cms/settings/base.py" in settings_files
    found = []
    for name in settings_files:
        text = text_of(name) or ""
        found += findings(name, text, {"password": SETTINGS_PASSWORD})
    assert not found, "passwords in the settings:\n" + "\n".join(found)


@pytest.mark.parametrize("path", LOCAL_SECRETS)
def test_local_secrets_and_data_are_ignored_and_untracked(tracked_files, path):
    assert git("check-ignore", "--quiet", "--no-index", path).returncode == 0, f"{path} is not git-ignored"
    top = path.split("/")[0]
    assert not [name for name in tracked_files if name == top or name.startswith(f"{top}/")], (
        f"{top} is tracked"
    )
