/// One call of the Formation API: what to send and which key and user it needs.
struct Route: Sendable {
    /// Which key a route takes (protocol §3.1).
    enum Key: Sendable {
        /// Admin key only.
        case admin
        /// Client key only.
        case client
        /// Either; the client key is used when both are set.
        case either
        /// No key (health).
        case none
    }

    /// Whether the route needs `X-Muxi-User-ID`.
    enum User: Sendable {
        /// The header must be sent: a missing user is a configuration error.
        case required
        /// Sent when a user is known (it filters or names the acting user).
        case optional
        /// Required when the client key is sent; optional with the admin key alone (which
        /// then acts for every user): events, ingestion status.
        case requiredWithClientKey
        /// Never sent.
        case none
    }

    var method: String
    var path: String
    var query: [(String, String?)] = []
    var key: Key
    var user: User
    var body: JSONValue?
    /// Files added to the body's object as `files` when the request is made (base64 written
    /// straight into the body: see ``Attachment``).
    var files: [Attachment] = []
    /// POSTs are retried only on routes that honour `X-Muxi-Idempotency-Key` (§3.5).
    var honoursIdempotency = false
    /// Headers of this route's own (a distillery's signature).
    var headers: [HTTPHeader] = []
    /// Error statuses whose envelope is still the answer (notifications: 502 when nothing
    /// was delivered, with `success: true` and where it was tried).
    var answeringStatuses: Set<Int> = []

    init(_ method: String, _ segments: [String], query: [(String, String?)] = [], key: Key, user: User,
         body: JSONValue? = nil, files: [Attachment] = [], honoursIdempotency: Bool = false) {
        self.method = method
        self.path = "/" + segments.map(URLEncoding.component).joined(separator: "/")
        self.query = query
        self.key = key
        self.user = user
        self.body = body
        self.files = files
        self.honoursIdempotency = honoursIdempotency
    }

    var isRetryable: Bool { method != "POST" || honoursIdempotency }
}
