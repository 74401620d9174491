"""The embedded development stack: PostgreSQL from a wheel, the tansu broker, the services, the gateway."""
