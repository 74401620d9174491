"""Token verification and the caller's permissions and data scope."""

from crm_shared.auth.jwks import JwksKeySource, KeySource, TokenVerifier
from crm_shared.auth.principal import DataScope, Principal

__all__ = ["DataScope", "JwksKeySource", "KeySource", "Principal", "TokenVerifier"]
