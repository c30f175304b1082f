import stat
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


@pytest.fixture
def password_file(tmp_path):
    return tmp_path / ".admin_password"


def ensure_admin(password_file, *args):
    out = StringIO()
    call_command("ensure_admin", "--password-file", str(password_file), *args, stdout=out)
    return out.getvalue()


def test_first_run_creates_a_superuser_with_a_random_password_printed_and_stored(password_file):
    output = ensure_admin(password_file)

    password = password_file.read_text().strip()
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.is_active
    assert admin.email == "admin@localhost"
    assert admin.check_password(password)
    assert len(password) >= 20
    assert password in output
    assert "admin" in output
    assert "/admin/" in output
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600


def test_passwords_differ_from_one_installation_to_the_next(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    ensure_admin(first, "--username", "first")
    ensure_admin(second, "--username", "second")

    assert first.read_text() != second.read_text()


def test_second_run_reuses_the_user_and_prints_the_same_password(password_file):
    ensure_admin(password_file)
    password = password_file.read_text().strip()
    hashed = get_user_model().objects.get(username="admin").password

    output = ensure_admin(password_file)

    assert get_user_model().objects.filter(username="admin").count() == 1
    assert get_user_model().objects.get(username="admin").password == hashed
    assert password_file.read_text().strip() == password
    assert password in output


def test_a_password_changed_by_the_user_is_neither_reset_nor_printed(password_file):
    ensure_admin(password_file)
    stale = password_file.read_text().strip()
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("chosen by the admin herself")
    admin.save()

    output = ensure_admin(password_file)

    admin.refresh_from_db()
    assert admin.check_password("chosen by the admin herself")
    assert stale not in output
    assert "--reset-password" in output


def test_an_existing_user_without_stored_password_keeps_its_password(password_file):
    get_user_model().objects.create_superuser("admin", "admin@localhost", "set by hand long ago")

    output = ensure_admin(password_file)

    assert get_user_model().objects.get(username="admin").check_password("set by hand long ago")
    assert not password_file.exists()
    assert "--reset-password" in output


def test_reset_password_gives_a_new_stored_password(password_file):
    get_user_model().objects.create_superuser("admin", "admin@localhost", "set by hand long ago")

    output = ensure_admin(password_file, "--reset-password")

    password = password_file.read_text().strip()
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password(password)
    assert not admin.check_password("set by hand long ago")
    assert password in output


def test_username_is_configurable(password_file):
    ensure_admin(password_file, "--username", "directrice")

    assert get_user_model().objects.get(username="directrice").is_superuser
    assert not get_user_model().objects.filter(username="admin").exists()


def test_an_ordinary_user_of_that_name_is_not_promoted(password_file):
    get_user_model().objects.create_user("admin", "admin@localhost", "an editor's password")

    with pytest.raises(CommandError):
        ensure_admin(password_file)

    admin = get_user_model().objects.get(username="admin")
    assert not admin.is_superuser
    assert admin.check_password("an editor's password")
    assert not password_file.exists()


def test_password_is_kept_at_the_project_root_by_default(settings, tmp_path):
    settings.LOCAL_CREDENTIALS_DIR = tmp_path
    out = StringIO()

    call_command("ensure_admin", stdout=out)

    password = (tmp_path / ".admin_password").read_text().strip()
    assert get_user_model().objects.get(username="admin").check_password(password)
