"""`make run` ends with a short summary in English; development e-mails go to files in a git-ignored folder."""

import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from cms.settings import dev

BASE_DIR = Path(__file__).resolve().parent.parent.parent


@pytest.mark.django_db
def test_the_summary_names_the_book_the_addresses_the_logins_and_the_mail_folder(
    demo_book, settings, tmp_path
):
    settings.EMAIL_BACKEND = dev.EMAIL_BACKEND
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    call_command("ensure_admin", stdout=StringIO())
    out = StringIO()
    call_command(
        "run_summary", "--url", "http://127.0.0.1:8000", "--reader-url", "http://127.0.0.1:8001/", stdout=out
    )
    text = out.getvalue()
    assert "The book CMS is running." in text
    assert f"“{demo_book.title}”, 12 chapters" in text
    assert "http://127.0.0.1:8000/admin/" in text
    assert "http://127.0.0.1:8000/api/v1/docs/" in text
    assert "http://127.0.0.1:8001/" in text
    password = (Path(settings.LOCAL_CREDENTIALS_DIR) / ".admin_password").read_text().strip()
    assert f"admin / {password}" in text
    assert f"written to files in {tmp_path / 'mail'}" in text
    assert len(text.strip().splitlines()) <= 15


def test_development_emails_are_files_in_a_git_ignored_folder():
    assert dev.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend"
    folder = Path(dev.EMAIL_FILE_PATH)
    assert folder.is_relative_to(BASE_DIR)
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", str(folder.relative_to(BASE_DIR) / "message.log")], cwd=BASE_DIR
    )
    assert ignored.returncode == 0
