"""Single sign-on rules that need no database: reading the role map, and which roles a
provider's claims give."""

from collections.abc import Mapping

# Set by the invitation page before it offers single sign-on: whoever holds a valid
# invitation may create an account whatever the sign-up policy, with the invitation's role.
INVITATION_SESSION_KEY = "chapterwise_invitation"

# The roles a provider may hand out. Admin (staff) is never granted from outside: a
# provider's group list is not a strong enough reason to open Django admin.
MAPPABLE_ROLES = ("Reader", "Editor", "Reviewer", "Moderator")


def parse_role_map(raw: str) -> dict[str, str]:
    """``"wiki-editors=Editor, wiki-reviewers=Reviewer"`` -> ``{"wiki-editors": "Editor", ...}``.

    Raises ``ValueError`` naming the faulty entry, so a typo stops start-up instead of
    silently granting nothing.
    """
    mapping: dict[str, str] = {}
    for entry in raw.split(","):
        entry = entry.strip()
        if not entry:
            continue
        group, separator, role = entry.rpartition("=")
        group, role = group.strip(), role.strip()
        if not separator or not group or not role:
            raise ValueError(f"each entry must read group=Role; got {entry!r}")
        matched = next((name for name in MAPPABLE_ROLES if name.lower() == role.lower()), None)
        if matched is None:
            raise ValueError(f"{role!r} is not a role; use one of {', '.join(MAPPABLE_ROLES)}")
        mapping[group] = matched
    return mapping


def roles_from_claims(claims: Mapping, *, claim: str, role_map: Mapping[str, str]) -> set[str]:
    """The roles named by ``claims[claim]``: a list of group names, or one name, or a
    space- or comma-separated string of them (providers differ). Unknown groups grant nothing."""
    if not claim or not role_map:
        return set()
    value = claims.get(claim)
    if isinstance(value, str):
        groups = value.replace(",", " ").split()
    elif isinstance(value, list | tuple | set):
        groups = [item for item in value if isinstance(item, str)]
    else:
        return set()
    # Keycloak sends group paths ("/wiki-editors"); the map is written without the slash.
    names = {group.strip().lstrip("/") for group in groups} | {group.strip() for group in groups}
    return {role for group, role in role_map.items() if group in names}
