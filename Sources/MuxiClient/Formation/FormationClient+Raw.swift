/// Routes newer than this library: any request, with the same keys, user, retries, errors
/// and envelope handling as the typed methods.
extension FormationClient {
    /// Sends `method` to `path` (under the API root, e.g. `/tuning`; segments percent-encoded
    /// by you) and returns the envelope's `data`. The client key is sent when set, else the
    /// admin key; the user header when a user is known. A GET, PUT or DELETE is retried like
    /// any other; a POST is not (the runtime honours idempotency on a few routes only).
    ///
    /// ```swift
    /// let tuning = try await formation.request("GET", "/tuning", query: [("limit", "5")])
    /// ```
    public func request(_ method: String, _ path: String, query: [(String, String?)] = [], body: JSONValue? = nil,
                        userID: String? = nil) async throws -> JSONValue {
        try await send(Self.rawRoute(method, path, query: query, body: body), userID: userID)
    }

    /// Opens an event stream at `path` (e.g. `/logs`) and yields its events as they arrive:
    /// each as an ``SSEFrame`` (its `event:` name, nil for a plain `data:` event, and its data). Cancelling the task
    /// that reads it closes the connection.
    ///
    /// ```swift
    /// for try await frame in formation.eventStream("GET", "/logs") { print(frame.event ?? "message", frame.text) }
    /// ```
    public func eventStream(_ method: String, _ path: String, query: [(String, String?)] = [], body: JSONValue? = nil,
                            userID: String? = nil) -> AsyncThrowingStream<SSEFrame, any Error> {
        frames(Self.rawRoute(method, path, query: query, body: body), userID: userID, idle: true) { $0 }
    }

    /// The events of `route`'s stream, each ``SSEFrame`` made into an element by `element`
    /// (which may throw to end the stream); `idle: false` for a stream that may stay silent
    /// for long. Cancelling the reading task closes the connection.
    func frames<Element: Sendable>(_ route: Route, userID: String?, idle: Bool,
                                   _ element: @escaping @Sendable (SSEFrame) throws -> Element) -> AsyncThrowingStream<Element, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let response = try await openStream(route, userID: userID, idempotencyKey: IDs.make("idem_"), idle: idle)
                    var parser = SSEParser()
                    for try await chunk in response.body {
                        try parser.feed(chunk) { record in
                            if case .event(let name, let data) = record {
                                continuation.yield(try element(SSEFrame(event: name, data: Array(data))))
                            }
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    static func rawRoute(_ method: String, _ path: String, query: [(String, String?)], body: JSONValue?) -> Route {
        var route = Route(method.uppercased(), [], query: query, key: .either, user: .optional, body: body)
        route.path = path.hasPrefix("/") ? path : "/" + path
        return route
    }
}
