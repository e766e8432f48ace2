/// A JSON value exactly as the server sent it, kept so that no field is ever lost.
///
/// Every model of this library keeps the object it was decoded from in `raw`, so fields that
/// the library does not know yet stay available:
///
/// ```swift
/// let session: Session = try await client.session("sess_1")
/// let extra = session.raw["some_new_field"]?.stringValue
/// ```
///
/// Numbers keep their original text (see ``JSONNumber``), so re-encoding a value gives the
/// same digits back, which webhook signature checks rely on.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The member `key` of an object, or `nil` for a missing key or a value that is not an object.
    ///
    /// ```swift
    /// let code = body["error"]?["code"]?.stringValue
    /// ```
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The element at `index` of an array, or `nil` when out of range or not an array.
    ///
    /// ```swift
    /// let first = value[0]
    /// ```
    public subscript(index: Int) -> JSONValue? {
        if case .array(let items) = self, items.indices.contains(index) { return items[index] }
        return nil
    }

    /// The string, or `nil` when the value is not a string.
    ///
    /// ```swift
    /// JSONValue.string("a").stringValue // "a"
    /// ```
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The string, or the number's text, or `nil`: for identifiers that servers send either way.
    ///
    /// ```swift
    /// JSONValue.number(JSONNumber(42)).looseString // "42"
    /// ```
    public var looseString: String? {
        switch self {
        case .string(let s): return s
        case .number(let n): return n.text
        default: return nil
        }
    }

    /// The number as a `Double`, also when it was sent as a numeric string.
    ///
    /// ```swift
    /// JSONValue.string("1.5").doubleValue // 1.5
    /// ```
    public var doubleValue: Double? {
        switch self {
        case .number(let n): return n.doubleValue
        case .string(let s): return Double(s)
        default: return nil
        }
    }

    /// The number as an `Int` when it is integral, also when it was sent as a numeric string.
    ///
    /// ```swift
    /// JSONValue.number(JSONNumber(3)).intValue // 3
    /// ```
    public var intValue: Int? {
        switch self {
        case .number(let n): return n.intValue
        case .string(let s): return Int(s)
        default: return nil
        }
    }

    /// The boolean, or `nil` when the value is not a boolean.
    ///
    /// ```swift
    /// JSONValue.bool(true).boolValue // true
    /// ```
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The elements, or `nil` when the value is not an array.
    ///
    /// ```swift
    /// let ids = value.arrayValue?.compactMap(\.stringValue) ?? []
    /// ```
    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The members, or `nil` when the value is not an object.
    ///
    /// ```swift
    /// let keys = value.objectValue?.keys.sorted() ?? []
    /// ```
    public var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// Whether the value is JSON `null`.
    ///
    /// ```swift
    /// JSONValue.null.isNull // true
    /// ```
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    /// `let v: JSONValue = "text"`
    public init(stringLiteral value: String) { self = .string(value) }
    /// `let v: JSONValue = 42`
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    /// `let v: JSONValue = 1.5`
    public init(floatLiteral value: Double) { self = .number(JSONNumber(value)) }
    /// `let v: JSONValue = true`
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// `let v: JSONValue = [1, "two"]`
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// `let v: JSONValue = ["repo": "muxi/runtime"]`
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var members: [String: JSONValue] = [:]
        for (key, value) in elements { members[key] = value }
        self = .object(members)
    }
    /// `let v: JSONValue = nil`
    public init(nilLiteral: ()) { self = .null }
}

/// A JSON number that remembers the exact text it was written with.
///
/// ```swift
/// let n = JSONNumber(1.25)
/// n.text        // "1.25"
/// n.doubleValue // 1.25
/// ```
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number as it appears in JSON text.
    public let text: String

    /// A number from its JSON text, or `nil` when `text` is not a valid JSON number.
    ///
    /// ```swift
    /// JSONNumber(text: "1e3")?.doubleValue // 1000
    /// ```
    public init?(text: String) {
        let valid = Array(text.utf8).withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer)
            return scanner.scanNumber() && scanner.isAtEnd
        }
        guard valid else { return nil }
        self.text = text
    }

    init(validatedText: String) { self.text = validatedText }

    /// An integer number.
    ///
    /// ```swift
    /// JSONNumber(7).text // "7"
    /// ```
    public init(_ value: Int) { self.text = String(value) }

    /// A floating-point number, written in Swift's shortest round-trip form (`nan` and
    /// infinities, which JSON cannot hold, become `0`).
    ///
    /// ```swift
    /// JSONNumber(0.5).text // "0.5"
    /// ```
    public init(_ value: Double) {
        guard value.isFinite else { self.text = "0"; return }
        if value == value.rounded(), abs(value) < 1e15 {
            self.text = String(Int64(value))
        } else {
            self.text = "\(value)"
        }
    }

    /// The value as a `Double` (always available for valid JSON numbers).
    ///
    /// ```swift
    /// JSONNumber(2).doubleValue // 2.0
    /// ```
    public var doubleValue: Double? { Double(text) }

    /// The value as an `Int` when the text is an integer or a float with no fractional part.
    ///
    /// ```swift
    /// JSONNumber(text: "3.0")?.intValue // 3
    /// ```
    public var intValue: Int? {
        if let i = Int(text) { return i }
        guard let d = Double(text), d == d.rounded(), abs(d) < 9.0e18 else { return nil }
        return Int(d)
    }

    /// The JSON text.
    public var description: String { text }
}

extension JSONValue: Codable {
    /// Decodes any JSON value from a `Decoder`, so `JSONValue` can be a field of your own
    /// `Codable` types.
    ///
    /// ```swift
    /// let v = try JSONDecoder().decode(JSONValue.self, from: data)
    /// ```
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? container.decode(Int.self) {
            self = .number(JSONNumber(i))
        } else if let d = try? container.decode(Double.self) {
            self = .number(JSONNumber(d))
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let a = try? container.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Encodes the value into an `Encoder`.
    ///
    /// ```swift
    /// let data = try JSONEncoder().encode(JSONValue.object(["a": 1]))
    /// ```
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .number(let n):
            if let i = Int(n.text) { try container.encode(i) } else { try container.encode(n.doubleValue ?? 0) }
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }
}

extension JSONValue: CustomStringConvertible {
    /// The value as compact JSON, as `print` shows it.
    ///
    /// ```swift
    /// print(["ok": true] as JSONValue)   // {"ok":true}
    /// ```
    public var description: String { JSONWriter.string(self) }
}
