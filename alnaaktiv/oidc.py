"""Single sign-on with OpenID Connect (Azure AD): maps the token's NAV ident to an existing
user. Users, their offices and roles are provisioned in Alna Aktiv; SSO never creates them."""
from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class NavOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        username = claims.get(settings.OIDC_USERNAME_CLAIM)
        if not username:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(username__iexact=username, is_active=True)

    def verify_claims(self, claims):
        return bool(claims.get(settings.OIDC_USERNAME_CLAIM))
