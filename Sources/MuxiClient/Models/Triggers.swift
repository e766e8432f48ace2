/// A trigger's template (`GET /v1/triggers/{name}`).
///
/// ```swift
/// let t = try await client.trigger("github-issue")
/// print(t.dataFields)   // ["repository", "issue.number"]
/// ```
public struct TriggerDetail: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The name.
    public let name: String
    /// The markdown template.
    public let content: String
    /// The `${{ data.x }}` paths the template reads.
    public let dataFields: [String]

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        name = try json.required("name", of: "trigger")
        content = json.string("content") ?? ""
        dataFields = json.strings("data_fields")
    }
}

/// What firing a trigger returned.
///
/// ```swift
/// let r = try await client.fireTrigger("daily-report", data: ["date": "2024-01-15"], async: false)
/// print(r.content ?? "")
/// ```
public struct TriggerResult: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// A run's state: `completed` (a sync run), `processing` (an async one), or another the
    /// runtime adds.
    public struct Status: WireValue {
        /// The value as written on the wire.
        public let rawValue: String
        /// A value as written on the wire (values this library does not know are kept).
        public init(rawValue: String) { self.rawValue = rawValue }
        /// `completed`: the answer is in ``TriggerResult/content``.
        public static let completed = Status(rawValue: "completed")
        /// `processing`: poll ``TriggerResult/requestID``.
        public static let processing = Status(rawValue: "processing")
    }

    /// `completed` (sync) or `processing` (async).
    public let status: Status
    /// The answer of a sync run.
    public let content: String?
    /// The run's request id, to poll with ``FormationClient/requestStatus(_:userID:)``.
    public let requestID: String?

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        status = Status(rawValue: json.string("status") ?? "unknown")
        content = json.string("content")
        requestID = json.string("request_id")
    }
}
