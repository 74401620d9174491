"""Identity service: users, roles, login, access and refresh tokens, the JWKS."""
