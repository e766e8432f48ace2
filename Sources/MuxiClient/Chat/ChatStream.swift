import class Foundation.NSLock
/// The events of one streaming chat turn, as an `AsyncSequence`.
///
/// Nothing is sent until iteration starts. ``requestID`` and ``sessionID`` are known at once
/// (the client makes them when the request has none), so the turn can be cancelled before
/// its first byte. Cancelling the iterating task closes the connection, which also stops the
/// turn on the server; ``FormationClient/cancel(requestID:userID:)`` tells the server
/// explicitly.
///
/// The stream never hangs on the runtime's known gaps: when it ends with `done` but no
/// `completed`, or sends only keepalives for ``FormationConfiguration/streamStallLimit``, the
/// answer is fetched from the request status or the session's messages and delivered as a
/// ``ChatCompletion`` with `recovered == true`.
///
/// ```swift
/// let stream = client.chatStream(ChatRequest("Hello!"))
/// print("request", stream.requestID)
/// for try await event in stream {
///     if case .delta(let d) = event { print(d.text, terminator: "") }
/// }
/// ```
public struct ChatStream: AsyncSequence, Sendable {
    /// Each element is one ``ChatEvent``.
    public typealias Element = ChatEvent

    /// The turn's request id.
    public let requestID: String
    /// The turn's session id.
    public let sessionID: String
    let client: FormationClient
    let route: Route
    let userID: String?
    let idempotencyKey: String

    /// Whether an iteration started: a stream is one turn, iterated once.
    let started = StartedFlag()

    /// Starts the turn and returns its iterator. A stream is single-use: a second iteration
    /// sends nothing and throws `STREAM_ALREADY_READ` (a turn must not be sent twice by a loop
    /// that happens to iterate again); make a new stream to send again.
    public func makeAsyncIterator() -> Iterator {
        Iterator(state: started.claim() ? StreamState(stream: self) : StreamState(refusing: self))
    }

    /// Reads the events one by one.
    ///
    /// Iteration runs on the caller's actor (`next(isolation:)`), so a consumer on the main
    /// actor pays no thread switch per event: it suspends only while waiting for bytes.
    public struct Iterator: AsyncIteratorProtocol {
        let state: StreamState

        /// The next event, nil after the last one.
        public mutating func next() async throws -> ChatEvent? {
            try await state.next(isolation: nil)
        }

        /// The next event, read on `actor` (what `for try await` calls).
        @available(macOS 15.0, *)
        public mutating func next(isolation actor: isolated (any Actor)?) async throws(any Error) -> ChatEvent? {
            try await state.next(isolation: actor)
        }
    }
}

/// The mutable state of one stream's iteration (a class, so the SSE callback can append to
/// the queue while the parser runs).
final class StreamState {
    private let stream: ChatStream
    private var body: HTTPBody.AsyncIterator?
    private var parser = SSEParser()
    private var decoder = TokenDecoder()
    private var queue: [ChatEvent] = []
    private var head = 0
    private var sawCompleted = false
    private var finished = false
    private var lastProgress = ContinuousClock.now
    /// The delta being gathered from one network read, and its text so far.
    private var batchDelta: ChatToken?
    private var batchText: [UInt8] = []
    /// The turn's request id as the events give it: the runtime makes its own for an audio
    /// turn, which a recovery must ask about.
    private var learnedRequestID = ""

    init(stream: ChatStream) { self.stream = stream }

    /// The state of a second iteration: it throws at once.
    init(refusing stream: ChatStream) {
        self.stream = stream
        refusal = MuxiError(kind: .configuration, code: "STREAM_ALREADY_READ",
                            message: "this ChatStream was already iterated (request \(stream.requestID)): a stream sends its turn once; make a new one to send again")
    }

    private var refusal: MuxiError?

    func next(isolation actor: isolated (any Actor)?) async throws -> ChatEvent? {
        if let refusal {
            self.refusal = nil
            finished = true
            throw refusal
        }
        while true {
            if head < queue.count {
                let event = queue[head]
                head += 1
                if head == queue.count {
                    queue.removeAll(keepingCapacity: true)
                    head = 0
                }
                return event
            }
            if finished { return nil }
            do {
                try await fill(isolation: actor)
            } catch let error as MuxiError where (error.kind == .connection || error.code == "STREAM_IDLE")
                                                    && body != nil && !sawCompleted {
                // the connection broke, or went silent, in the middle of the answer: what the
                // server finished is recovered as for a stalled stream; only when there is none
                // is the cut or the silence the error. A silent runtime may be busy (its file
                // generation blocks its event loop for up to a minute), so its answer is waited
                // for as long as for a stall; a cut one only briefly.
                finished = true
                body = nil
                if let completion = await recoverCut(silent: error.code == "STREAM_IDLE", isolation: actor) {
                    queue.append(.completed(completion))
                    queue.append(.done)
                    continue
                }
                throw error
            } catch {
                finished = true
                body = nil
                throw error
            }
        }
    }

    /// Reads chunks until at least one event is queued or the stream ends.
    private func fill(isolation actor: isolated (any Actor)?) async throws {
        if body == nil {
            let response = try await stream.client.openStream(stream.route, userID: stream.userID,
                                                              idempotencyKey: stream.idempotencyKey)
            guard Self.isEventStream(response) else {
                let bytes = try await response.collect(upTo: 1 << 20)
                throw MuxiError.invalidResponse(
                    "expected an event stream, got \(response.header("content-type") ?? "no content type"): "
                        + String(decoding: bytes.prefix(120), as: UTF8.self), status: response.status)
            }
            body = response.body.makeAsyncIterator()
            lastProgress = .now
        }
        while queue.isEmpty {
            guard let chunk = try await body?.next(isolation: actor) else {
                try Task.checkCancellation()
                try await endOfBody(isolation: actor)
                return
            }
            let (heartbeatOnly, sawDone) = try consume(chunk)
            if sawDone {
                try await finish(removingDone: true, isolation: actor)
                return
            }
            if heartbeatOnly {
                if ContinuousClock.now - lastProgress > stream.client.configuration.streamStallLimit {
                    body = nil
                    try await recover(reason: "sent only keepalives for \(stream.client.configuration.streamStallLimit.seconds) s", isolation: actor)
                    queue.append(.done)
                    finished = true
                    return
                }
            } else {
                lastProgress = .now
            }
        }
    }

    /// Parses one network chunk into queued events: the deltas of the chunk become one event.
    /// Returns whether it held only keepalives, and whether `done` came.
    private func consume(_ chunk: [UInt8]) throws -> (heartbeatOnly: Bool, sawDone: Bool) {
        var heartbeatOnly = true
        var sawDone = false
        // The hot loop works on locals (moved out of this object and back), so each token
        // costs no dynamic exclusivity check.
        var decoder = self.decoder, batchText = self.batchText, batchDelta = self.batchDelta, queue = self.queue
        self.batchText = []
        self.queue = []
        defer {
            self.decoder = decoder
            self.batchText = batchText
            self.batchDelta = batchDelta
            self.queue = queue
        }
        var batching = batchDelta != nil  // a flag: testing the optional token would copy it per token
        func flushBatch() {
            batching = false
            guard var token = batchDelta else { return }
            token.text = String(decoding: batchText, as: UTF8.self)
            queue.append(.delta(token))
            batchDelta = nil
            batchText.removeAll(keepingCapacity: true)
        }
        try chunk.withUnsafeBufferPointer { bytes in
            try parser.feed(bytes) { record in
                guard case .event(let name, let data) = record, !sawDone else { return }
                if name == nil, batching, decoder.appendContinuation(data, to: &batchText) {
                    heartbeatOnly = false
                    return
                }
                guard let event = try decoder.decode(name: name, data: data) else { return }
                heartbeatOnly = false
                switch event {
                case .heartbeat:
                    return
                case .delta(let token):
                    flushBatch()
                    if learnedRequestID.isEmpty { learnedRequestID = token.requestID }
                    batchDelta = token
                    batching = true
                    batchText.append(contentsOf: token.text.utf8)
                    return
                case .completed: sawCompleted = true
                case .done: sawDone = true
                case .progress(let token): if learnedRequestID.isEmpty { learnedRequestID = token.requestID }
                default: break
                }
                flushBatch()
                queue.append(event)
            }
        }
        flushBatch()
        return (heartbeatOnly, sawDone)
    }

    /// After `done`: the answer must have come; otherwise recover it, then end with `done`.
    private func finish(removingDone: Bool, isolation actor: isolated (any Actor)?) async throws {
        body = nil
        finished = true
        if !sawCompleted {
            if removingDone, let last = queue.last, last == .done { queue.removeLast() }
            try await recover(reason: "ended without an answer", isolation: actor)
            queue.append(.done)
        }
    }

    /// The body ended: after the answer, that is the end; before it (a cut connection), the
    /// same recovery as a stalled stream is tried (the request's status, then the session's
    /// messages, for up to ``cutRecoveryLimit``), and only when it finds nothing is the cut an error.
    private func endOfBody(isolation actor: isolated (any Actor)?) async throws {
        finished = true
        body = nil
        guard sawCompleted else {
            if let completion = await recoverCut(silent: false, isolation: actor) {
                queue.append(.completed(completion))
                queue.append(.done)
                return
            }
            throw MuxiError(kind: .stream, code: "STREAM_CUT",
                            message: "the connection closed before the answer was complete (request \(shownRequestID)), and the server has no answer for it")
        }
        queue.append(.done)
    }

    /// The answer of a turn whose connection was cut, if the server has it (asked for up to
    /// ``cutRecoveryLimit``: the turn may still be finishing); nil when it has none.
    private func recoverCut(silent: Bool, isolation actor: isolated (any Actor)?) async -> ChatCompletion? {
        let stall = stream.client.configuration.streamStallLimit
        return try? await recoveredAnswer(waitingUpTo: silent ? stall : min(stall, Self.cutRecoveryLimit), isolation: actor)
    }

    /// How long a cut stream's answer is waited for on the server (the turn may still finish).
    static let cutRecoveryLimit: Duration = .seconds(5)

    private func recover(reason: String, isolation actor: isolated (any Actor)?) async throws {
        if let completion = try await recoveredAnswer(waitingUpTo: stream.client.configuration.streamStallLimit, isolation: actor) {
            queue.append(.completed(completion))
            return
        }
        throw MuxiError(kind: .stream, code: "NO_ANSWER", message: "the stream \(reason), and request \(shownRequestID) has no answer yet")
    }

    /// The turn's request id: the stream's own, else the one its events carried (an audio
    /// turn's is the runtime's).
    private var requestID: String { stream.requestID.isEmpty ? learnedRequestID : stream.requestID }

    private var shownRequestID: String { requestID.isEmpty ? "(no id given)" : requestID }

    /// The turn's answer as the server has it (see ``FormationClient/recoverAnswer(requestID:sessionID:userID:waitingUpTo:)``),
    /// nil when it has none or the turn has no known id; an answer found counts as the turn's.
    private func recoveredAnswer(waitingUpTo limit: Duration, isolation actor: isolated (any Actor)?) async throws -> ChatCompletion? {
        guard !requestID.isEmpty, let completion = try await stream.client.recoverAnswer(
            requestID: requestID, sessionID: stream.sessionID, userID: stream.userID, waitingUpTo: limit) else { return nil }
        sawCompleted = true
        return completion
    }

    private static func isEventStream(_ response: HTTPResponse) -> Bool {
        guard let type = response.header("content-type")?.lowercased() else { return true }
        return type.hasPrefix("text/event-stream")
    }
}

/// Set once, by the first iteration of a stream.
final class StartedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var started = false

    /// True the first time only.
    func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if started { return false }
        started = true
        return true
    }
}
