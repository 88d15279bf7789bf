"""Limits for Stadtfunk's external guests, enforced by the homeserver itself.

Guests are accounts in the portal's application-service namespace whose
localpart starts with the configured guest prefix (e.g. ``_stadtfunk_guest_``).
Their browser holds a Matrix token of its own, so the limits must hold
whatever client uses it. For guest accounts this module refuses:

* creating rooms (and with that, direct chats with staff),
* inviting anyone, by Matrix ID or third-party ID,
* being invited by anyone but the service's bot,
* joining any room the service's bot has not invited them to,
* room aliases and publishing rooms in the directory,
* every state event except their own join (with the guest display-name
  suffix) and their own leave,
* appearing in the user directory; guests cannot search it either.

Configuration (homeserver.yaml)::

    modules:
      - module: stadtfunk_guest_limits.GuestLimits
        config:
          guest_prefix: "_stadtfunk_guest_"
          service_user_id: "@_stadtfunk_bot:stadt.example"
          display_name_suffix: " (Gast)"

The module directory must be on Synapse's PYTHONPATH.
"""

import logging
from typing import Any, Dict, Literal, Optional, Tuple, Union

from synapse.module_api import NOT_SPAM, EventBase, ModuleApi, StateMap, UserProfile
from synapse.module_api.errors import Codes, ConfigError

logger = logging.getLogger(__name__)

Decision = Union[Literal["NOT_SPAM"], Codes]


class GuestLimitsConfig:
    def __init__(self, guest_prefix: str, service_user_id: str, display_name_suffix: str) -> None:
        self.guest_prefix = guest_prefix
        self.service_user_id = service_user_id
        self.display_name_suffix = display_name_suffix


class GuestLimits:
    def __init__(self, config: GuestLimitsConfig, api: ModuleApi) -> None:
        self._config = config
        self._api = api
        self._server_name = api.server_name
        api.register_spam_checker_callbacks(
            user_may_create_room=self.user_may_create_room,
            user_may_invite=self.user_may_invite,
            user_may_join_room=self.user_may_join_room,
            user_may_send_3pid_invite=self.user_may_send_3pid_invite,
            user_may_create_room_alias=self.user_may_create_room_alias,
            user_may_publish_room=self.user_may_publish_room,
            user_may_send_state_event=self.user_may_send_state_event,
            check_username_for_spam=self.check_username_for_spam,
        )
        api.register_third_party_rules_callbacks(check_event_allowed=self.check_event_allowed)

    @staticmethod
    def parse_config(config: Dict[str, Any]) -> GuestLimitsConfig:
        prefix = config.get("guest_prefix")
        if not isinstance(prefix, str) or len(prefix) < 3 or ":" in prefix or prefix.startswith("@"):
            raise ConfigError("guest_prefix must be a localpart prefix such as _stadtfunk_guest_")
        service = config.get("service_user_id")
        if not isinstance(service, str) or not service.startswith("@") or ":" not in service:
            raise ConfigError("service_user_id must be the service bot's full Matrix ID")
        if service[1:].startswith(prefix):
            raise ConfigError("service_user_id must not be inside the guest namespace")
        suffix = config.get("display_name_suffix", " (Gast)")
        if not isinstance(suffix, str) or not suffix.strip():
            raise ConfigError("display_name_suffix must be a non-empty string")
        return GuestLimitsConfig(prefix, service, suffix)

    def is_guest(self, user_id: str) -> bool:
        return user_id.startswith("@" + self._config.guest_prefix) and user_id.endswith(":" + self._server_name)

    async def user_may_create_room(self, user_id: str, room_config: Dict[str, Any]) -> Decision:
        return Codes.FORBIDDEN if self.is_guest(user_id) else NOT_SPAM

    async def user_may_invite(self, inviter: str, invitee: str, room_id: str) -> Decision:
        if self.is_guest(inviter):
            return Codes.FORBIDDEN
        if self.is_guest(invitee) and inviter != self._config.service_user_id:
            return Codes.FORBIDDEN
        return NOT_SPAM

    async def user_may_join_room(self, user_id: str, room_id: str, is_invited: bool) -> Decision:
        if not self.is_guest(user_id):
            return NOT_SPAM
        if not is_invited:
            return Codes.FORBIDDEN
        state = await self._api.get_room_state(room_id, [("m.room.member", user_id)])
        invite = state.get(("m.room.member", user_id))
        if invite is None or invite.membership != "invite" or invite.sender != self._config.service_user_id:
            return Codes.FORBIDDEN
        return NOT_SPAM

    async def user_may_send_3pid_invite(self, inviter: str, medium: str, address: str, room_id: str) -> Decision:
        return Codes.FORBIDDEN if self.is_guest(inviter) else NOT_SPAM

    async def user_may_create_room_alias(self, user_id: str, room_alias: Any) -> Decision:
        return Codes.FORBIDDEN if self.is_guest(user_id) else NOT_SPAM

    async def user_may_publish_room(self, user_id: str, room_id: str) -> Decision:
        return Codes.FORBIDDEN if self.is_guest(user_id) else NOT_SPAM

    async def user_may_send_state_event(
        self, user_id: str, room_id: str, event_type: str, state_key: str, content: Dict[str, Any]
    ) -> Decision:
        return Codes.FORBIDDEN if self.is_guest(user_id) else NOT_SPAM

    async def check_username_for_spam(self, user_profile: UserProfile, requester_id: str) -> bool:
        # True hides the profile from directory results: guests are never listed,
        # and a guest's search lists nobody.
        return self.is_guest(user_profile["user_id"]) or self.is_guest(requester_id)

    async def check_event_allowed(
        self, event: EventBase, state_events: StateMap[EventBase]
    ) -> Tuple[bool, Optional[dict]]:
        """Every event passes through here, also membership events the spam checker
        does not see; only guests' state events are refused."""
        if not self.is_guest(event.sender) or not event.is_state():
            return True, None
        if event.type == "m.room.member" and event.state_key == event.sender:
            membership = event.content.get("membership")
            if membership == "leave":
                return True, None
            if membership == "join":
                name = event.content.get("displayname")
                if isinstance(name, str) and name.endswith(self._config.display_name_suffix):
                    return True, None
        logger.info("refused %s from guest %s in %s", event.type, event.sender, event.room_id)
        return False, None
