extension FormationClient {
    /// Sends one turn and waits for the whole answer (`"stream": false` is always sent: the
    /// runtime streams by default).
    ///
    /// ```swift
    /// let reply = try await formation.chat(ChatRequest("Hello!"), userID: "user_123")
    /// print(reply.text)
    /// ```
    public func chat(_ request: ChatRequest, userID: String? = nil) async throws -> ChatReply {
        let turn = request.resolved()
        let route = Route("POST", ["chat"], key: .client, user: .required, body: turn.body(stream: false),
                          files: turn.files, honoursIdempotency: true)
        return try ChatReply(json: try await send(route, userID: userID))
    }

    /// Sends one turn and streams its events. See ``ChatStream``.
    ///
    /// ```swift
    /// for try await event in formation.chatStream(ChatRequest("Hello!"), userID: "user_123") {
    ///     if case .delta(let d) = event { print(d.text, terminator: "") }
    /// }
    /// ```
    public func chatStream(_ request: ChatRequest, userID: String? = nil) -> ChatStream {
        let turn = request.resolved()
        let route = Route("POST", ["chat"], key: .client, user: .required, body: turn.body(stream: true),
                          files: turn.files, honoursIdempotency: true)
        return ChatStream(requestID: turn.requestID ?? "", sessionID: turn.sessionID ?? "", client: self,
                          route: route, userID: userID, idempotencyKey: IDs.make("idem_"))
    }

    /// Sends audio files as one turn (`POST /v1/audiochat`): the formation transcribes them
    /// and answers the transcript. Every file must have an `audio/` content type.
    ///
    /// ```swift
    /// let reply = try await formation.audioChat([try Attachment(path: "question.wav")])
    /// ```
    public func audioChat(_ files: [Attachment], sessionID: String? = nil, agentID: String? = nil,
                          userID: String? = nil) async throws -> ChatReply {
        let route = try audioRoute(files, sessionID: sessionID ?? IDs.make("sess_"), agentID: agentID, stream: false)
        return try ChatReply(json: try await send(route, userID: userID))
    }

    /// Sends audio files as one turn and streams the answer, as ``chatStream(_:userID:)`` does
    /// (the Python SDK's `audio_chat_stream`); throws at once when a file is not audio. The runtime gives the turn a request id of its
    /// own (it does not use the body's), so ``ChatStream/requestID`` is known once the first
    /// event arrives.
    ///
    /// ```swift
    /// for try await event in try formation.audioChatStream([try Attachment(path: "note.ogg")]) {
    ///     if case .delta(let d) = event { print(d.text, terminator: "") }
    /// }
    /// ```
    public func audioChatStream(_ files: [Attachment], sessionID: String? = nil, agentID: String? = nil,
                                userID: String? = nil) throws(MuxiError) -> ChatStream {
        let session = sessionID ?? IDs.make("sess_")
        let route = try audioRoute(files, sessionID: session, agentID: agentID, stream: true)
        return ChatStream(requestID: "", sessionID: session, client: self, route: route, userID: userID,
                          idempotencyKey: IDs.make("idem_"))
    }

    private func audioRoute(_ files: [Attachment], sessionID: String, agentID: String?, stream: Bool) throws(MuxiError) -> Route {
        guard !files.isEmpty, files.allSatisfy({ $0.contentType.lowercased().hasPrefix("audio/") }) else {
            throw MuxiError(kind: .validation, code: "VALIDATION_ERROR",
                            message: "audio chat needs at least one file, each with an audio/ content type")
        }
        var body: [String: JSONValue] = ["stream": .bool(stream), "session_id": .string(sessionID)]
        if let agentID { body["agent_id"] = .string(agentID) }
        return Route("POST", ["audiochat"], key: .client, user: .required, body: .object(body), files: files)
    }

    /// Reattaches to a turn that is streaming now (`GET /v1/events/{session}/{request}`), e.g.
    /// from a second window. Only events from now on are delivered; the runtime keeps no
    /// history.
    ///
    /// ```swift
    /// for try await event in formation.streamRequest(sessionID: sid, requestID: rid) { … }
    /// ```
    public func streamRequest(sessionID: String, requestID: String, userID: String? = nil) -> ChatStream {
        let route = Route("GET", ["events", sessionID, requestID], key: .either, user: .required)
        return ChatStream(requestID: requestID, sessionID: sessionID, client: self, route: route,
                          userID: userID, idempotencyKey: IDs.make("idem_"))
    }

    /// The answer of a turn whose stream did not deliver it: the request's result when it
    /// completed, else the session's assistant message for that request; nil when neither
    /// exists. While the request is still running, it asks again every half second for up
    /// to `waitingUpTo` (a stalled stream's turn may still be finishing on the server); a
    /// server too busy to answer one of these polls in time, or a session it has not made yet,
    /// counts as "not yet".
    ///
    /// ```swift
    /// if let answer = try await formation.recoverAnswer(requestID: rid, sessionID: sid) { print(answer.text) }
    /// ```
    public func recoverAnswer(requestID: String, sessionID: String, userID: String? = nil,
                              waitingUpTo limit: Duration = .zero) async throws -> ChatCompletion? {
        let deadline = ContinuousClock.now + limit
        while true {
            var status: RequestInfo.Status?
            var unknownRequest = false
            do {
                let info = try await requestStatus(requestID, userID: userID)
                status = info.status
                if info.status == .completed, let text = info.resultText, !text.isEmpty {
                    return ChatCompletion(text: text, status: .success, requestID: requestID, sessionID: sessionID,
                                          recovered: true)
                }
            } catch let e as MuxiError where e.kind == .notFound {
                unknownRequest = true
            } catch {}
            // a busy server may not answer in time, and a turn it has started on may have no
            // session yet: both are "not yet", until the deadline; a session and a request the
            // server both do not know mean it never took the turn
            let page: SessionMessages?
            do {
                page = try await sessionMessages(sessionID, limit: 50, userID: userID)
            } catch let e as MuxiError where (e.isTransient || e.kind == .notFound && !unknownRequest) && ContinuousClock.now < deadline {
                page = nil
            }
            if let answer = page?.messages.last(where: { $0.role == .assistant && $0.requestID == requestID }) {
                return ChatCompletion(text: answer.text, status: status == .failed ? .error : .success,
                                      agentUsed: answer.agentID, requestID: requestID, sessionID: sessionID,
                                      recovered: true)
            }
            guard status?.isTerminal != true, ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(500))
        }
    }
}
