"""Events identity publishes (topic `crm.identity.user`, keyed by user id)."""

from crm_shared.events import CloudEvent, new_event

from identity.models import User

SOURCE = "/crm/identity"
USER_TOPIC = "crm.identity.user"


def user_snapshot(user: User) -> dict[str, object]:
    return {
        "id": str(user.id),
        "email": user.email,
        "displayName": user.display_name,
        "roles": list(user.roles),
        "isActive": user.is_active,
    }


def user_created(user: User) -> CloudEvent:
    return new_event(SOURCE, "user.created", user.id, user_snapshot(user))
