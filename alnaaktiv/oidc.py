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

    def get_userinfo(self, access_token, id_token, payload):
        """Azure AD puts NAVident in the (verified) ID token, not in the userinfo answer."""
        return {**payload, **super().get_userinfo(access_token, id_token, payload)}

    def verify_claims(self, claims):
        return bool(claims.get(settings.OIDC_USERNAME_CLAIM))
