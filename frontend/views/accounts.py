"""Signing in and out, with the second factor (TOTP and single-use recovery codes)."""

import base64
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from frontend.decorators import member_required
from frontend.forms.accounts import ConfirmAuthenticatorForm, SecondFactorForm, SignInForm
from tenants import services
from tenants.middleware import SESSION_PARTNERSHIP_KEY
from tenants.selectors import membership_for


def _next_url(request, default: str = "frontend:dashboard") -> str:
    target = _requested_next(request)
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return redirect(default).url


def _second_factor_step(request, step: str):
    """Redirect to a second-factor step, carrying ``next`` URL-encoded: a ``next`` holding ``&``
    (a filtered list) would otherwise be cut at its first parameter."""
    url = reverse(step)
    if request.resolver_match.url_name == "sign-in" or _requested_next(request):
        url += "?" + urlencode({"next": _next_url(request)}, safe="/")
    return redirect(url)


def _requested_next(request) -> str:
    return request.POST.get("next") or request.GET.get("next") or ""


def _require_partnership(request):
    if request.partnership is None:
        raise Http404("Sign in on your partnership's own address.")


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    _require_partnership(request)
    if request.actor is not None:
        return redirect(_next_url(request))
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.sign_in_check_password(
            request=request,
            partnership=request.partnership,
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
        )
        if user is None:
            form.add_error(
                None, "The email address or password is wrong, or you have no access here."
            )
        else:
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_PARTNERSHIP_KEY] = request.partnership.schema_name
            membership = membership_for(user=user, partnership=request.partnership)
            if membership.requires_second_factor:
                step = (
                    "frontend:two-factor"
                    if services.totp_device_for(user=user)
                    else "frontend:two-factor-setup"
                )
                return _second_factor_step(request, step)
            return redirect(_next_url(request))
    return render(
        request, "accounts/sign_in.html", {"form": form, "next": request.GET.get("next", "")}
    )


def _signed_in_member(request):
    """The session's user and membership here, before the second factor is checked."""
    _require_partnership(request)
    if not request.user.is_authenticated or request.membership is None:
        return None
    return request.membership


@sensitive_post_parameters("token")
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor(request):
    membership = _signed_in_member(request)
    if membership is None:
        return redirect("frontend:sign-in")
    user = request.user
    if user.is_verified() or not membership.requires_second_factor:
        return redirect(_next_url(request))
    if services.totp_device_for(user=user) is None:
        return _second_factor_step(request, "frontend:two-factor-setup")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, problem = services.second_factor_check(user=user, token=form.cleaned_data["token"])
        if device is None:
            form.add_error("token", problem)
        else:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    f"You signed in with a recovery code. You have {left} left: "
                    "make new ones from your account page if you are running low.",
                )
            return redirect(_next_url(request))
    return render(request, "accounts/two_factor.html", {"form": form})


def _qr_svg(config_url: str) -> str:
    image = qrcode.make(config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@sensitive_post_parameters("token")
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Set up an authenticator. Only before one is confirmed: a confirmed second factor is never
    replaced by someone who knows only the password."""
    membership = _signed_in_member(request)
    if membership is None:
        return redirect("frontend:sign-in")
    user = request.user
    if services.totp_device_for(user=user) is not None:
        return _second_factor_step(request, "frontend:two-factor")
    device = services.totp_device_pending(user=user)
    form = ConfirmAuthenticatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_device_confirm(
                user=user, device=device, token=form.cleaned_data["token"]
            )
        except ValidationError as error:
            form.add_error("token", error.message_dict.get("token", error.messages))
        else:
            otp_login(request, device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 - generated here
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        },
    )


@member_required
@never_cache
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """Make a new set of recovery codes (the old ones stop working), for someone with an
    authenticator only."""
    if not services.may_make_recovery_codes(user=request.user):
        raise Http404("You have no authenticator, so no recovery codes.")
    if request.method == "POST":
        codes = services.recovery_codes_generate(user=request.user)
        return render(
            request,
            "accounts/recovery_codes.html",
            {"codes": codes, "next": redirect("frontend:dashboard").url},
        )
    return render(request, "accounts/recovery_codes_confirm.html")


@never_cache
@require_http_methods(["GET", "POST"])
def sign_out(request):
    if request.method == "POST":
        auth_logout(request)
        messages.success(request, "You have signed out.")
        return redirect("frontend:sign-in")
    return render(request, "accounts/sign_out.html")


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def set_password(request, uidb64, token):
    """The link in an invitation: choose a password, once, on the partnership's own host."""
    _require_partnership(request)
    user = services.invitation_user_for_token(
        partnership=request.partnership, uidb64=uidb64, token=token
    )
    if user is None:
        return render(request, "accounts/set_password_invalid.html", status=404)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your password is set. Sign in to continue.")
        return redirect("frontend:sign-in")
    form.helper = FormHelper()
    form.helper.form_tag = False
    form.helper.layout = Layout(
        Field.text("new_password1"), Field.text("new_password2"), Submit("submit", "Set password")
    )
    return render(request, "accounts/set_password.html", {"form": form})
