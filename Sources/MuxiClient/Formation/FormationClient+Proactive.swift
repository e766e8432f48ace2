/// Reaching users first: notifications, their channels, and identifier look-ups.
extension FormationClient {
    /// Sends `message` to a user through their channels: `channels` when given (declared
    /// names, or `last`, `preferred`, `webhook`), else their preferred one, the formation's
    /// default, then the webhook (`POST /v1/notifications`, client). The formation must
    /// declare `proactive`. A notification that reached no channel is not an error: see
    /// ``NotificationReceipt/delivered``.
    ///
    /// ```swift
    /// let sent = try await formation.sendNotification("Your report is ready", to: "alice")
    /// ```
    @discardableResult
    public func sendNotification(_ message: String, to userID: String, channels: [String]? = nil) async throws -> NotificationReceipt {
        guard !message.allSatisfy(\.isWhitespace) else { throw MuxiError.validation("a notification needs a message") }
        var body: [String: JSONValue] = ["user_id": .string(userID), "message": .string(message)]
        if let channels { body["channels"] = .array(channels.map(JSONValue.string)) }
        var route = Route("POST", ["notifications"], key: .client, user: .none, body: .object(body))
        route.answeringStatuses = [502]
        return try NotificationReceipt(json: try await send(route))
    }

    /// How a user is reached (`GET /v1/users/{id}/channels`, client); a user never seen has
    /// an empty state. The formation must declare `proactive`.
    ///
    /// ```swift
    /// let reach = try await formation.userChannels("alice")
    /// ```
    public func userChannels(_ userID: String) async throws -> UserChannels {
        try UserChannels(json: try await send(Route("GET", ["users", userID, "channels"], key: .client, user: .none)))
    }

    /// Changes how a user is reached; returns the whole new state (`PUT
    /// /v1/users/{id}/channels`, client). An undeclared channel or an unknown time zone:
    /// ``MuxiError/Kind/validation``.
    ///
    /// ```swift
    /// try await formation.updateUserChannels("alice", UserChannelsChange(timezone: "Europe/Lisbon"))
    /// ```
    @discardableResult
    public func updateUserChannels(_ userID: String, _ change: UserChannelsChange) async throws -> UserChannels {
        try UserChannels(json: try await send(Route("PUT", ["users", userID, "channels"], key: .client, user: .none, body: change.json)))
    }

    /// The MUXI user an identifier (email, chat handle…) belongs to, without creating one
    /// (`GET /v1/users/{identifier}`, client); unknown: ``MuxiError/Kind/notFound``. Compare
    /// ``resolveUser(_:createIfMissing:)``, which creates.
    ///
    /// ```swift
    /// let who = try await formation.lookupUser("alice@example.com")
    /// ```
    public func lookupUser(_ identifier: String) async throws -> UserLookup {
        try UserLookup(json: try await send(Route("GET", ["users", identifier], key: .client, user: .none)))
    }
}
