/// Where a notification went (`POST /v1/notifications`, client). The formation must declare
/// a `proactive` block. Nothing delivered is an answer too (the runtime's 502): then
/// ``delivered`` is empty and ``failed`` says where it was tried.
///
/// ```swift
/// let sent = try await formation.sendNotification("Your report is ready", to: "alice")
/// print(sent.delivered, sent.failed)
/// ```
public struct NotificationReceipt: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The request that sent it.
    public let requestID: String?
    /// The channels tried, in order.
    public let channels: [String]
    /// The channels it reached.
    public let delivered: [String]
    /// The channels that failed.
    public let failed: [String]

    /// Reads the model from its JSON object.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        requestID = json.string("request_id")
        channels = json.strings("channels")
        delivered = json.strings("delivered")
        failed = json.strings("failed")
    }
}

/// How a user is reached proactively (`GET /v1/users/{id}/channels`, client): the preferred
/// channel, each channel's context, the last one used and the user's time zone.
///
/// ```swift
/// let reach = try await formation.userChannels("alice")
/// print(reach.preferredChannel ?? "webhook", reach.timezone ?? "UTC")
/// ```
public struct UserChannels: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The user.
    public let userID: String
    /// The channel notifications go to first.
    public let preferredChannel: String?
    /// Each channel's context (chat ids, addresses…), by channel name.
    public let channels: [String: JSONValue]
    /// The channel the user last wrote from.
    public let lastChannel: String?
    /// The user's IANA time zone.
    public let timezone: String?

    /// Reads the model from its JSON object; throws ``MuxiError`` without a user.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        userID = try json.required("user_id", of: "user channels")
        preferredChannel = json.string("preferred_channel")
        channels = json["channels"]?.objectValue ?? [:]
        lastChannel = json.string("last_channel")
        timezone = json.string("timezone")
    }
}

/// A change to a user's channels: only what is set changes; an empty string clears the
/// preferred channel or the time zone, an empty object removes a channel.
///
/// ```swift
/// let change = UserChannelsChange(timezone: "Europe/Lisbon")
/// ```
public struct UserChannelsChange: Sendable, Hashable {
    /// A declared channel name or `webhook`; `""` clears it.
    public var preferredChannel: String?
    /// Channel contexts to merge in, by name.
    public var channels: [String: JSONValue]?
    /// An IANA time zone; `""` clears it.
    public var timezone: String?

    /// A change.
    public init(preferredChannel: String? = nil, channels: [String: JSONValue]? = nil, timezone: String? = nil) {
        self.preferredChannel = preferredChannel
        self.channels = channels
        self.timezone = timezone
    }

    var json: JSONValue {
        var body: [String: JSONValue] = [:]
        if let preferredChannel { body["preferred_channel"] = .string(preferredChannel) }
        if let channels { body["channels"] = .object(channels) }
        if let timezone { body["timezone"] = .string(timezone) }
        return .object(body)
    }
}

/// The MUXI user an identifier belongs to (`GET /v1/users/{identifier}`, client): a lookup
/// that never creates the user.
///
/// ```swift
/// let who = try await formation.lookupUser("alice@example.com")
/// print(who.muxiUserID)
/// ```
public struct UserLookup: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The identifier as stored (emails lowercased).
    public let identifier: String
    /// The MUXI user id.
    public let muxiUserID: String
    /// The runtime's row number for the user.
    public let internalUserID: Int?

    /// Reads the model from its JSON object; throws ``MuxiError`` without the user id.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        identifier = json.string("identifier") ?? ""
        muxiUserID = try json.required("muxi_user_id", of: "user lookup")
        internalUserID = json.int("internal_user_id")
    }
}

/// What a knowledge rebuild or sync did, per agent and source (`POST /v1/knowledge/rebuild`,
/// `POST /v1/agents/{id}/knowledge/sync`, admin).
///
/// ```swift
/// let sync = try await formation.syncKnowledge(agentID: "assistant")
/// for s in sync.sources { print(s.agentID, s.sourceID, s.status) }
/// ```
public struct KnowledgeUpdate: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// One line per agent and source.
    public let sources: [Source]

    /// The outcome for one source of one agent.
    public struct Source: Sendable, Hashable {
        /// The agent.
        public let agentID: String
        /// The source.
        public let sourceID: String
        /// `rebuilt`, `failed` or `skipped` for a rebuild; `success`, `partial`, `failed` or
        /// `skipped` for a sync.
        public let status: String
        /// Nodes in the rebuilt tree, or files added by a sync.
        public let count: Int?
        /// Why it failed or was skipped.
        public let detail: String?
    }

    /// Reads the model from its JSON object (a rebuild's `agents` table or a sync's `results`).
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        var sources: [Source] = []
        if let agents = json["agents"]?.objectValue {
            for (agent, outcome) in agents.sorted(by: { $0.key < $1.key }) {
                for tree in outcome["rebuilt"]?.arrayValue ?? [] {
                    sources.append(Source(agentID: agent, sourceID: tree.string("source_id") ?? "", status: "rebuilt",
                                          count: tree.int("node_count"), detail: nil))
                }
                for id in outcome.strings("failed") { sources.append(Source(agentID: agent, sourceID: id, status: "failed", count: nil, detail: nil)) }
                for id in outcome.strings("skipped") { sources.append(Source(agentID: agent, sourceID: id, status: "skipped", count: nil, detail: nil)) }
            }
        }
        let agent = json.string("agent_id") ?? ""
        for result in json["results"]?.arrayValue ?? [] {
            sources.append(Source(agentID: agent, sourceID: result.string("source_id") ?? "", status: result.string("status") ?? "",
                                  count: result.int("files_added"), detail: result.string("error") ?? result.string("reason")))
        }
        self.sources = sources
    }
}
