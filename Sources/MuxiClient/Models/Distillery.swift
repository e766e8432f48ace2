public import struct Foundation.Date
import struct Foundation.Data
import Crypto

/// An outside system allowed to send distilled memories, signed with its Ed25519 key
/// (`GET /v1/memory/distilleries`, admin). The formation must enable `memory.distillery`.
///
/// ```swift
/// for d in try await formation.distilleries() { print(d.id, d.name, d.status) }
/// ```
public struct Distillery: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The identifier, sent as `X-Distillery-ID`.
    public let id: String
    /// The name.
    public let name: String
    /// The description.
    public let description: String?
    /// Its public key (`ed25519:<base64>`).
    public let publicKey: String
    /// `provisional` (confidence capped at 0.7) or `verified`.
    public let trustLevel: String
    /// `active` or `revoked`.
    public let status: String
    /// What it may send: `user_ids`, `event_types`, `max_events_per_day`, `max_batch_size`.
    public let scope: JSONValue
    /// When it was registered.
    public let createdAt: Date?
    /// When it was revoked.
    public let revokedAt: Date?

    /// Reads the model from its JSON object; throws ``MuxiError`` without an id.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        id = try json.required("distillery_id", of: "distillery")
        name = json.string("name") ?? ""
        description = json.string("description")
        publicKey = json.string("public_key") ?? ""
        trustLevel = json.string("trust_level") ?? "provisional"
        status = json.string("status") ?? "active"
        scope = json["scope"] ?? .null
        createdAt = json.date("created_at")
        revokedAt = json.date("revoked_at")
    }
}

/// A distillery's signing key: signs each batch the way the runtime checks it
/// (Ed25519 over `muxi-distillery-v1\n{timestamp}\n{distillery id}\n{body}`).
///
/// ```swift
/// let key = DistilleryKey()                       // a new key; keep `rawRepresentation`
/// let d = try await formation.registerDistillery(name: "crm", publicKey: key.publicKey)
/// ```
public struct DistilleryKey: Sendable, CustomStringConvertible, CustomReflectable {
    /// The private key's 32 bytes (a Crypto key is not `Sendable`; it is made when signing).
    private let seed: [UInt8]

    /// A new random key.
    public init() { seed = Array(Curve25519.Signing.PrivateKey().rawRepresentation) }

    /// The key from its 32 raw bytes.
    public init(rawRepresentation: [UInt8]) throws {
        guard (try? Curve25519.Signing.PrivateKey(rawRepresentation: rawRepresentation)) != nil else {
            throw MuxiError.validation("a distillery key is 32 bytes (\(rawRepresentation.count) given)")
        }
        seed = rawRepresentation
    }

    private var key: Curve25519.Signing.PrivateKey {
        // the seed was checked when the key was made
        try! Curve25519.Signing.PrivateKey(rawRepresentation: seed)
    }

    /// The 32 raw bytes, to store.
    public var rawRepresentation: [UInt8] { seed }

    /// The public key as the runtime registers it: `ed25519:<base64 of the 32 bytes>`.
    public var publicKey: String { "ed25519:" + Data(key.publicKey.rawRepresentation).base64EncodedString() }

    /// The public key only: a printed key never shows the private one.
    public var description: String { "DistilleryKey(\(publicKey))" }

    /// The public key only, for `dump` and debuggers too.
    public var customMirror: Mirror { Mirror(self, children: ["publicKey": publicKey]) }

    /// The base64 signature of `body` sent by `distilleryID` at `timestamp` (Unix seconds).
    public func signature(of body: [UInt8], distilleryID: String, timestamp: Int) throws -> String {
        let message = Array("muxi-distillery-v1\n\(timestamp)\n\(distilleryID)\n".utf8) + body
        return Data(try key.signature(for: message)).base64EncodedString()
    }
}

/// One event of a distilled batch (`POST /v1/memories/distilled`).
///
/// ```swift
/// let fact = DistilledEvent(type: "fact.extracted", userID: "alice", sourceID: "crm-77",
///                           payload: ["statement": "Alice prefers email"])
/// ```
public struct DistilledEvent: Sendable, Hashable {
    /// `fact.extracted`, `log.entry` or `interaction.turn` (within the distillery's scope).
    public var type: String
    /// The user it is about (required on a multi-user formation).
    public var userID: String?
    /// Its id in the distillery (at most 255 characters): the same id twice is a duplicate.
    public var sourceID: String
    /// What it says, in the schema of its type.
    public var payload: [String: JSONValue]
    /// How sure the distillery is (0…1; capped at 0.7 for a provisional distillery).
    public var confidence: Double?
    /// `static`, `decaying` or `volatile`.
    public var decayRate: String?
    /// When it happened.
    public var occurredAt: Date?

    /// An event.
    public init(type: String, userID: String? = nil, sourceID: String, payload: [String: JSONValue],
                confidence: Double? = nil, decayRate: String? = nil, occurredAt: Date? = nil) {
        self.type = type
        self.userID = userID
        self.sourceID = sourceID
        self.payload = payload
        self.confidence = confidence
        self.decayRate = decayRate
        self.occurredAt = occurredAt
    }

    var json: JSONValue {
        var body: [String: JSONValue] = ["event_type": .string(type), "source_id": .string(sourceID), "payload": .object(payload)]
        if let userID { body["user_id"] = .string(userID) }
        if let confidence { body["source_confidence"] = .number(JSONNumber(confidence)) }
        if let decayRate { body["decay_rate"] = .string(decayRate) }
        if let occurredAt { body["occurred_at"] = .string(ISO8601.string(occurredAt)) }
        return .object(body)
    }
}

/// What the runtime accepted of a distilled batch; the accepted events are projected in the
/// background (``FormationClient/distilledStatus(_:)``).
///
/// ```swift
/// let receipt = try await formation.ingestDistilled([fact], batchID: "b-1", distilleryID: d.id, key: key)
/// print(receipt.accepted, receipt.rejections)
/// ```
public struct DistilledReceipt: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The batch's id.
    public let batchID: String
    /// Events accepted.
    public let accepted: Int
    /// Events already known.
    public let duplicates: Int
    /// Events refused, with each one's index and reason.
    public let rejections: [(index: Int, reason: String)]
    /// The background job, when something was accepted.
    public let processingID: String?

    /// Reads the model from its JSON object.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        batchID = json.string("batch_id") ?? ""
        accepted = json.int("accepted") ?? 0
        duplicates = json.int("duplicates") ?? 0
        rejections = (json["rejections"]?.arrayValue ?? []).map { ($0.int("index") ?? 0, $0.string("reason") ?? "") }
        processingID = json.string("processing_id")
    }

    public static func == (a: Self, b: Self) -> Bool { a.raw == b.raw }
    public func hash(into hasher: inout Hasher) { hasher.combine(raw) }
}
