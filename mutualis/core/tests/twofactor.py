"""Second factor in the tests: the suite's `force_login` also verifies the session of a user
who needs it (conftest.py), as if the code had been typed; the tests of the enforcement log in
through the real pages (password, then code) and so get no such help."""

from django.contrib.auth import SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mutualis.core.twofactor import needs_second_factor


def verified_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="tests", confirmed=True)


def one_recovery_code(user, code: str = "secours123") -> str:
    """A fresh one-time recovery code of the user (for logins through the real form)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="tests", defaults={"confirmed": True}
    )
    StaticToken.objects.create(device=device, token=code)
    return code


def verify_session(client, user) -> None:
    """Marks the client's session as verified by the user's device, as django_otp.login does."""
    if not needs_second_factor(user):
        return
    session = client.session
    if str(session.get(SESSION_KEY)) != str(user.pk):
        return
    session[DEVICE_ID_SESSION_KEY] = verified_device(user).persistent_id
    session.save()
