package dev.provision.playbooks.synapse;

import java.util.Arrays;
import java.util.List;

import static dev.provision.playbooks.synapse.Duty.*;

/**
 * Synapse's worker endpoints (docs/workers.md, verbatim regexes) grouped by who should serve them,
 * in the order nginx must test them: media and stream-writer endpoints before the broader client API
 * patterns they overlap with. A request goes to the workers of the first role in
 * {@link #rolesFor} that has workers, otherwise to main. Every pattern carries sample requests.
 */
enum EndpointGroup {

    MEDIA_REPOSITORY("Media repository", "media", List.of(MEDIA), List.of(), Split.NONE,
            endpoint("^/_matrix/media/", "GET /_matrix/media/v3/config"),
            endpoint("^/_matrix/client/v1/media/", "GET /_matrix/client/v1/media/config"),
            endpoint("^/_matrix/federation/v1/media/", "GET /_matrix/federation/v1/media/download/abcdef"),
            endpoint("^/_synapse/admin/v1/purge_media_cache$", "POST /_synapse/admin/v1/purge_media_cache"),
            endpoint("^/_synapse/admin/v1/room/.*/media.*$", "GET /_synapse/admin/v1/room/!room:example.com/media"),
            endpoint("^/_synapse/admin/v1/user/.*/media.*$", "POST /_synapse/admin/v1/user/@alice:example.com/media/quarantine"),
            endpoint("^/_synapse/admin/v1/media/.*$", "GET /_synapse/admin/v1/media/example.com/abcdef"),
            endpoint("^/_synapse/admin/v1/quarantine_media/.*$", "POST /_synapse/admin/v1/quarantine_media/!room:example.com"),
            endpoint("^/_synapse/admin/v1/users/.*/media$", "GET /_synapse/admin/v1/users/@alice:example.com/media")),

    TYPING("typing stream", "client", List.of(Stream.TYPING), List.of(), Split.NONE,
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/typing",
                    "PUT /_matrix/client/v3/rooms/!room:example.com/typing/@alice:example.com")),

    TO_DEVICE("to_device stream", "client", List.of(Stream.TO_DEVICE), List.of(), Split.NONE,
            endpoint("^/_matrix/client/(r0|v3|unstable)/sendToDevice/", "PUT /_matrix/client/v3/sendToDevice/m.room.encrypted/txn1")),

    ACCOUNT_DATA("account_data stream; GET may go to client readers", "client",
            List.of(Stream.ACCOUNT_DATA), List.of(Stream.ACCOUNT_DATA, CLIENT_READER), Split.GET_REQUESTS,
            endpoint("^/_matrix/client/(r0|v3|unstable)/.*/tags",
                    "PUT /_matrix/client/v3/user/@alice:example.com/rooms/!room:example.com/tags/u.work",
                    "GET /_matrix/client/v3/user/@alice:example.com/rooms/!room:example.com/tags"),
            endpoint("^/_matrix/client/(r0|v3|unstable)/.*/account_data",
                    "PUT /_matrix/client/v3/user/@alice:example.com/account_data/m.direct",
                    "GET /_matrix/client/v3/user/@alice:example.com/account_data/m.direct")),

    RECEIPTS("receipts stream", "client", List.of(Stream.RECEIPTS), List.of(), Split.NONE,
            endpoint("^/_matrix/client/(r0|v3|unstable)/rooms/.*/receipt",
                    "POST /_matrix/client/v3/rooms/!room:example.com/receipt/m.read/%24event1"),
            endpoint("^/_matrix/client/(r0|v3|unstable)/rooms/.*/read_markers",
                    "POST /_matrix/client/v3/rooms/!room:example.com/read_markers")),

    PRESENCE("presence stream; GET may go to client readers", "client",
            List.of(Stream.PRESENCE), List.of(Stream.PRESENCE, CLIENT_READER), Split.GET_REQUESTS,
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable)/presence/",
                    "PUT /_matrix/client/v3/presence/@alice:example.com/status",
                    "GET /_matrix/client/v3/presence/@alice:example.com/status")),

    PUSH_RULES("push_rules stream; GET may go to client readers", "client",
            List.of(Stream.PUSH_RULES), List.of(Stream.PUSH_RULES, CLIENT_READER), Split.GET_REQUESTS,
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable)/pushrules/",
                    "PUT /_matrix/client/v3/pushrules/global/override/rule1",
                    "GET /_matrix/client/v3/pushrules/")),

    DEVICES("device_lists stream, else client readers", "client", List.of(Stream.DEVICE_LISTS, CLIENT_READER), List.of(), Split.NONE,
            endpoint("^/_matrix/client/(r0|v3)/delete_devices$", "POST /_matrix/client/v3/delete_devices"),
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable)/devices(/|$)", "GET /_matrix/client/v3/devices")),

    KEY_UPLOADS("device_lists stream, else encryption workers", "client", List.of(Stream.DEVICE_LISTS, ENCRYPTION), List.of(), Split.NONE,
            endpoint("^/_matrix/client/(r0|v3|unstable)/keys/upload", "POST /_matrix/client/v3/keys/upload"),
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable)/keys/device_signing/upload$",
                    "POST /_matrix/client/v3/keys/device_signing/upload"),
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable)/keys/signatures/upload$",
                    "POST /_matrix/client/v3/keys/signatures/upload")),

    SYNC("Sync: initial (no since, or full_state=true) or incremental", "client",
            List.of(NORMAL_SYNC, INITIAL_SYNC), List.of(INITIAL_SYNC, NORMAL_SYNC), Split.INITIAL_SYNCS,
            endpoint("^/_matrix/client/(r0|v3)/sync$",
                    "GET /_matrix/client/v3/sync",
                    "GET /_matrix/client/v3/sync?since=s72594_4483_1934",
                    "GET /_matrix/client/v3/sync?since=s72594_4483_1934&full_state=true")),

    EVENTS("Incremental event stream", "client", List.of(NORMAL_SYNC, INITIAL_SYNC), List.of(), Split.NONE,
            endpoint("^/_matrix/client/(api/v1|r0|v3)/events$", "GET /_matrix/client/v3/events?from=s72594_4483_1934")),

    INITIAL_SYNC_ENDPOINTS("Initial sync", "client", List.of(INITIAL_SYNC, NORMAL_SYNC), List.of(), Split.NONE,
            endpoint("^/_matrix/client/(api/v1|r0|v3)/initialSync$", "GET /_matrix/client/v3/initialSync"),
            endpoint("^/_matrix/client/(api/v1|r0|v3)/rooms/[^/]+/initialSync$",
                    "GET /_matrix/client/v3/rooms/!room:example.com/initialSync")),

    FEDERATION_TRANSACTIONS("Inbound federation transactions", "federation", List.of(FEDERATION_INBOUND), List.of(), Split.NONE,
            endpoint("^/_matrix/federation/v1/send/", "PUT /_matrix/federation/v1/send/txn1")),

    FEDERATION("Federation requests", "federation", List.of(FEDERATION_READER), List.of(), Split.NONE,
            endpoint("^/_matrix/federation/v1/version$", "GET /_matrix/federation/v1/version"),
            endpoint("^/_matrix/federation/v1/event/", "GET /_matrix/federation/v1/event/%24event1"),
            endpoint("^/_matrix/federation/v1/state/", "GET /_matrix/federation/v1/state/!room:example.com"),
            endpoint("^/_matrix/federation/v1/state_ids/", "GET /_matrix/federation/v1/state_ids/!room:example.com"),
            endpoint("^/_matrix/federation/v1/backfill/", "GET /_matrix/federation/v1/backfill/!room:example.com"),
            endpoint("^/_matrix/federation/v1/get_missing_events/", "POST /_matrix/federation/v1/get_missing_events/!room:example.com"),
            endpoint("^/_matrix/federation/v1/publicRooms", "GET /_matrix/federation/v1/publicRooms"),
            endpoint("^/_matrix/federation/v1/query/", "GET /_matrix/federation/v1/query/profile"),
            endpoint("^/_matrix/federation/v1/make_join/", "GET /_matrix/federation/v1/make_join/!room:example.com/@alice:example.com"),
            endpoint("^/_matrix/federation/v1/make_leave/", "GET /_matrix/federation/v1/make_leave/!room:example.com/@alice:example.com"),
            endpoint("^/_matrix/federation/(v1|v2)/send_join/", "PUT /_matrix/federation/v2/send_join/!room:example.com/%24event1"),
            endpoint("^/_matrix/federation/(v1|v2)/send_leave/", "PUT /_matrix/federation/v2/send_leave/!room:example.com/%24event1"),
            endpoint("^/_matrix/federation/v1/make_knock/", "GET /_matrix/federation/v1/make_knock/!room:example.com/@alice:example.com"),
            endpoint("^/_matrix/federation/v1/send_knock/", "PUT /_matrix/federation/v1/send_knock/!room:example.com/%24event1"),
            endpoint("^/_matrix/federation/(v1|v2)/invite/", "PUT /_matrix/federation/v2/invite/!room:example.com/%24event1"),
            endpoint("^/_matrix/federation/v1/event_auth/", "GET /_matrix/federation/v1/event_auth/!room:example.com/%24event1"),
            endpoint("^/_matrix/federation/v1/timestamp_to_event/", "GET /_matrix/federation/v1/timestamp_to_event/!room:example.com"),
            endpoint("^/_matrix/federation/v1/exchange_third_party_invite/",
                    "PUT /_matrix/federation/v1/exchange_third_party_invite/!room:example.com"),
            endpoint("^/_matrix/federation/v1/user/devices/", "GET /_matrix/federation/v1/user/devices/@alice:example.com"),
            endpoint("^/_matrix/key/v2/query", "POST /_matrix/key/v2/query"),
            endpoint("^/_matrix/federation/v1/hierarchy/", "GET /_matrix/federation/v1/hierarchy/!room:example.com")),

    LOGIN_REGISTRATION("Registration and login", "client", List.of(LOGIN), List.of(), Split.NONE,
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable)/login$", "POST /_matrix/client/v3/login", "GET /_matrix/client/v3/login"),
            endpoint("^/_matrix/client/(r0|v3|unstable)/register$", "POST /_matrix/client/v3/register"),
            endpoint("^/_matrix/client/(r0|v3|unstable)/register/available$", "GET /_matrix/client/v3/register/available?username=alice"),
            endpoint("^/_matrix/client/v1/register/m.login.registration_token/validity$",
                    "GET /_matrix/client/v1/register/m.login.registration_token/validity?token=abc"),
            endpoint("^/_matrix/client/(r0|v3|unstable)/password_policy$", "GET /_matrix/client/v3/password_policy")),

    KEYS("Encryption", "client", List.of(ENCRYPTION), List.of(), Split.NONE,
            endpoint("^/_matrix/client/(r0|v3|unstable)/keys/query$", "POST /_matrix/client/v3/keys/query"),
            endpoint("^/_matrix/client/(r0|v3|unstable)/keys/changes$", "GET /_matrix/client/v3/keys/changes?from=s1&to=s2"),
            endpoint("^/_matrix/client/(r0|v3|unstable)/keys/claim$", "POST /_matrix/client/v3/keys/claim"),
            endpoint("^/_matrix/client/(r0|v3|unstable)/room_keys/", "GET /_matrix/client/v3/room_keys/version")),

    EVENT_SENDING("Event sending", "client", List.of(EVENT_CREATOR), List.of(), Split.NONE,
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/redact",
                    "PUT /_matrix/client/v3/rooms/!room:example.com/redact/%24event1/txn1"),
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/send",
                    "PUT /_matrix/client/v3/rooms/!room:example.com/send/m.room.message/txn1"),
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/state/",
                    "PUT /_matrix/client/v3/rooms/!room:example.com/state/m.room.topic/"),
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/(join|invite|leave|ban|unban|kick)$",
                    "POST /_matrix/client/v3/rooms/!room:example.com/join"),
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable)/join/", "POST /_matrix/client/v3/join/%23lobby:example.com"),
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable)/knock/", "POST /_matrix/client/v3/knock/!room:example.com"),
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable)/profile/", "GET /_matrix/client/v3/profile/@alice:example.com")),

    USER_DIRECTORY_SEARCH("User directory search", "client", List.of(USER_DIRECTORY), List.of(), Split.NONE,
            endpoint("^/_matrix/client/(r0|v3|unstable)/user_directory/search$", "POST /_matrix/client/v3/user_directory/search")),

    CLIENT_API("Client API", "client", List.of(CLIENT_READER), List.of(), Split.NONE,
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable)/createRoom$", "POST /_matrix/client/v3/createRoom"),
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable)/publicRooms$", "GET /_matrix/client/v3/publicRooms"),
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/joined_members$",
                    "GET /_matrix/client/v3/rooms/!room:example.com/joined_members"),
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/context/.*$",
                    "GET /_matrix/client/v3/rooms/!room:example.com/context/%24event1"),
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/members$", "GET /_matrix/client/v3/rooms/!room:example.com/members"),
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/state$", "GET /_matrix/client/v3/rooms/!room:example.com/state"),
            endpoint("^/_matrix/client/v1/rooms/.*/hierarchy$", "GET /_matrix/client/v1/rooms/!room:example.com/hierarchy"),
            endpoint("^/_matrix/client/(v1|unstable)/rooms/.*/relations/",
                    "GET /_matrix/client/v1/rooms/!room:example.com/relations/%24event1"),
            endpoint("^/_matrix/client/v1/rooms/.*/threads$", "GET /_matrix/client/v1/rooms/!room:example.com/threads"),
            endpoint("^/_matrix/client/unstable/im.nheko.summary/summary/.*$",
                    "GET /_matrix/client/unstable/im.nheko.summary/summary/!room:example.com"),
            endpoint("^/_matrix/client/v1/room_summary/.*$", "GET /_matrix/client/v1/room_summary/!room:example.com"),
            endpoint("^/_matrix/client/(r0|v3|unstable)/account/3pid$", "GET /_matrix/client/v3/account/3pid"),
            endpoint("^/_matrix/client/(r0|v3|unstable)/account/whoami$", "GET /_matrix/client/v3/account/whoami"),
            endpoint("^/_matrix/client/(r0|v3|unstable)/account/deactivate$", "POST /_matrix/client/v3/account/deactivate"),
            endpoint("^/_matrix/client/versions$", "GET /_matrix/client/versions"),
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable)/voip/turnServer$", "GET /_matrix/client/v3/voip/turnServer"),
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/.*/event/",
                    "GET /_matrix/client/v3/rooms/!room:example.com/event/%24event1"),
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable)/joined_rooms$", "GET /_matrix/client/v3/joined_rooms"),
            endpoint("^/_matrix/client/v1/rooms/.*/timestamp_to_event$",
                    "GET /_matrix/client/v1/rooms/!room:example.com/timestamp_to_event?ts=0&dir=f"),
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable/.*)/rooms/.*/aliases", "GET /_matrix/client/v3/rooms/!room:example.com/aliases"),
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable)/search$", "POST /_matrix/client/v3/search"),
            endpoint("^/_matrix/client/(r0|v3|unstable)/user/.*/filter(/|$)", "POST /_matrix/client/v3/user/@alice:example.com/filter"),
            endpoint("^/_matrix/client/(api/v1|r0|v3|unstable)/directory/room/.*$",
                    "GET /_matrix/client/v3/directory/room/%23lobby:example.com"),
            endpoint("^/_matrix/client/(r0|v3|unstable)/capabilities$", "GET /_matrix/client/v3/capabilities"),
            endpoint("^/_matrix/client/(r0|v3|unstable)/notifications$", "GET /_matrix/client/v3/notifications"),
            endpoint("^/_matrix/client/unstable/org.matrix.msc4140/delayed_events(/.*/restart)?$",
                    "GET /_matrix/client/unstable/org.matrix.msc4140/delayed_events"),
            endpoint("^/_synapse/admin/v1/rooms/[^/]+$", "GET /_synapse/admin/v1/rooms/!room:example.com")),

    ADMIN_USER_READS("Admin user lookups: GET only", "client", List.of(), List.of(CLIENT_READER), Split.GET_REQUESTS,
            endpoint("^/_synapse/admin/v2/users/[^/]+$",
                    "GET /_synapse/admin/v2/users/@alice:example.com",
                    "PUT /_synapse/admin/v2/users/@alice:example.com"));

    /** When {@link #alternative} applies instead of {@link #preferred}. */
    enum Split { NONE, GET_REQUESTS, INITIAL_SYNCS }

    record Endpoint(String regex, List<SampleRequest> samples) {
    }

    private final String description;
    private final String resource;
    private final List<Role> preferred;
    private final List<Role> alternative;
    private final Split split;
    private final List<Endpoint> endpoints;

    EndpointGroup(String description, String resource, List<Role> preferred, List<Role> alternative, Split split,
                  Endpoint... endpoints) {
        this.description = description;
        this.resource = resource;
        this.preferred = preferred;
        this.alternative = alternative;
        this.split = split;
        this.endpoints = List.of(endpoints);
    }

    private static Endpoint endpoint(String regex, String... samples) {
        return new Endpoint(regex, Arrays.stream(samples).map(SampleRequest::parse).toList());
    }

    String description() {
        return description;
    }

    /** The listener resource a worker needs to serve these endpoints. */
    String resource() {
        return resource;
    }

    List<Endpoint> endpoints() {
        return endpoints;
    }

    Split split() {
        return split;
    }

    List<Role> preferred() {
        return preferred;
    }

    List<Role> alternative() {
        return alternative;
    }

    /** The roles to try in order for this request; main serves it if no role has workers. */
    List<Role> rolesFor(SampleRequest request) {
        boolean useAlternative = switch (split) {
            case NONE -> false;
            case GET_REQUESTS -> request.method().equals("GET");
            case INITIAL_SYNCS -> request.isInitialSync();
        };
        return useAlternative ? alternative : preferred;
    }

    boolean mayBeServedBy(SynapseWorker worker) {
        return preferred.stream().anyMatch(worker::does) || alternative.stream().anyMatch(worker::does);
    }

    /** Requests no worker serves; nginx's catch-all locations send them to main. */
    static List<SampleRequest> mainOnlySamples() {
        return List.of(
                "GET /_matrix/client/v3/rooms/!room:example.com/messages?dir=b",
                "GET /_matrix/client/v3/login/sso/redirect?redirectUrl=https://example.com/",
                "POST /_matrix/client/v3/register/email/requestToken",
                "GET /_matrix/federation/v1/openid/userinfo?access_token=abc",
                "GET /_matrix/key/v2/server",
                "GET /_synapse/client/pick_idp",
                "GET /_synapse/admin/v1/server_version",
                "GET /health").stream().map(SampleRequest::parse).toList();
    }
}
