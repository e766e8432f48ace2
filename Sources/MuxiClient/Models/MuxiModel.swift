public import struct Foundation.Date

/// A typed view of one JSON object from the server that keeps the object itself in ``raw``.
///
/// Models read their fields tolerantly (numbers sent as strings, timestamps in any of the
/// runtime's forms) and fail only when an identifying field is missing. They are `Codable`:
/// encoding writes ``raw`` back, so nothing the server sent is lost.
///
/// ```swift
/// let job = try ScheduledJob(json: ["id": "job_1", "status": "ACTIVE"])
/// let data = try JSONEncoder().encode(job)
/// ```
public protocol MuxiModel: Codable, Sendable, Hashable {
    /// The object exactly as received, including fields this library does not model.
    var raw: JSONValue { get }
    /// Reads the model from a JSON object.
    init(json: JSONValue) throws(MuxiError)
}

extension MuxiModel {
    /// Decodes the model from any `Decoder` (through ``JSONValue``).
    public init(from decoder: any Decoder) throws {
        try self.init(json: JSONValue(from: decoder))
    }

    /// Encodes ``raw``.
    public func encode(to encoder: any Encoder) throws {
        try raw.encode(to: encoder)
    }
}

extension JSONValue {
    /// A string field that must be present (a number is accepted and written as text).
    func required(_ key: String, of model: String) throws(MuxiError) -> String {
        guard let value = self[key]?.looseString else {
            throw MuxiError.invalidResponse("\(model) without \"\(key)\" in \(JSONWriter.string(self).prefix(200))")
        }
        return value
    }

    func string(_ key: String) -> String? { self[key]?.looseString }
    func int(_ key: String) -> Int? { self[key]?.intValue }
    func double(_ key: String) -> Double? { self[key]?.doubleValue }
    func bool(_ key: String) -> Bool? { self[key]?.boolValue }
    func date(_ key: String) -> Date? { self[key].flatMap(Timestamp.date(from:)) }
    /// `value` when there is one, else the string field `key`, which must then be present.
    func required(_ key: String, of model: String, unless value: String?) throws(MuxiError) -> String {
        if let value { return value }
        return try required(key, of: model)
    }

    func list<T: MuxiModel>(_ key: String, of _: T.Type = T.self) throws(MuxiError) -> [T] {
        try (self[key]?.arrayValue ?? []).map(T.init(json:))
    }
    func strings(_ key: String) -> [String] { (self[key]?.arrayValue ?? []).compactMap(\.looseString) }
}
