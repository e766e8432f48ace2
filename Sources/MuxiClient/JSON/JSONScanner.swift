#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure to read JSON text: what was wrong and at which byte.
struct JSONSyntaxError: Error, Sendable, CustomStringConvertible {
    let reason: String
    let offset: Int
    var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

/// A byte-level JSON reader over a borrowed buffer.
///
/// It is the one JSON reader of the library: ``JSONValue`` parsing uses it, and so does the
/// chat token fast path, which reads the few keys it needs and skips the rest without
/// allocating. Nesting is bounded (``maxDepth``) so hostile input cannot exhaust the stack.
struct JSONScanner {
    static let maxDepth = 512

    let bytes: UnsafeBufferPointer<UInt8>
    var index: Int = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { index >= bytes.count }

    func fail(_ reason: String) -> JSONSyntaxError { JSONSyntaxError(reason: reason, offset: index) }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// The next non-blank byte, without consuming it.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : nil
    }

    mutating func expect(_ byte: UInt8) throws(JSONSyntaxError) {
        guard peek() == byte else { throw fail("expected '\(Character(Unicode.Scalar(byte)))'") }
        index += 1
    }

    /// Consumes `byte` when it is next.
    mutating func take(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        index += 1
        return true
    }

    /// Consumes a string that has no escapes and equals `literal`; leaves the index unchanged
    /// (and returns false) otherwise. Used to recognise keys without allocating.
    mutating func takeKey(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count + 2 <= bytes.count, bytes[index] == 0x22, bytes[index + count + 1] == 0x22 else {
            return false
        }
        let start = literal.utf8Start
        for i in 0..<count where bytes[index + 1 + i] != start[i] { return false }
        index += count + 2
        return true
    }

    // MARK: strings

    /// Reads an object key that has no escapes and returns its byte range, or nil (index
    /// unspecified) when the next value is not such a string.
    mutating func readPlainKey() -> Range<Int>? {
        guard peek() == 0x22 else { return nil }
        let start = index + 1
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x22 {
                index = i + 1
                return start..<i
            }
            if b == 0x5C || b < 0x20 { return nil }
            i += 1
        }
        return nil
    }

    /// Whether the bytes in `range` spell `literal`.
    func bytes(_ range: Range<Int>, equal literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let start = literal.utf8Start
        for i in 0..<range.count where bytes[range.lowerBound + i] != start[i] { return false }
        return true
    }

    /// Whether the bytes at the index are exactly `literal`.
    func hasPrefix(_ literal: [UInt8], at offset: Int) -> Bool {
        guard offset + literal.count <= bytes.count else { return false }
        guard let base = bytes.baseAddress, !literal.isEmpty else { return true }
        return literal.withUnsafeBytes { memcmp(base + offset, $0.baseAddress.unsafelyUnwrapped, literal.count) == 0 }
    }

    /// Consumes `literal` when it comes next (no blanks skipped); false otherwise.
    mutating func take(literal: [UInt8]) -> Bool {
        guard hasPrefix(literal, at: index) else { return false }
        index += literal.count
        return true
    }

    /// Consumes the next string when its raw bytes are exactly `known` (which holds no
    /// backslash); false otherwise.
    mutating func skipString(equalTo known: [UInt8]) -> Bool {
        guard peek() == 0x22, hasPrefix(known, at: index + 1), index + known.count + 1 < bytes.count,
            bytes[index + known.count + 1] == 0x22
        else { return false }
        index += known.count + 2
        return true
    }

    /// Appends the next string's decoded UTF-8 bytes to `out`.
    mutating func appendString(to out: inout [UInt8]) throws(JSONSyntaxError) {
        guard peek() == 0x22 else { throw fail("expected a string") }
        let start = index + 1
        var i = start
        var hasEscape = false
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x22 { break }
            if b == 0x5C { hasEscape = true; i += 2; continue }
            if b < 0x20 { throw JSONSyntaxError(reason: "control character in string", offset: i) }
            i += 1
        }
        guard i < bytes.count else { throw fail("unterminated string") }
        index = i + 1
        if hasEscape {
            try unescape(start, i, into: &out)
        } else {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
        }
    }

    /// Reads a string at the index (which must be at its opening quote).
    mutating func readString() throws(JSONSyntaxError) -> String {
        guard peek() == 0x22 else { throw fail("expected a string") }
        index += 1
        let start = index
        var hasEscape = false
        while index < bytes.count {
            let b = bytes[index]
            if b == 0x22 {
                let end = index
                index += 1
                if !hasEscape { return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) }
                var out: [UInt8] = []
                out.reserveCapacity(end - start)
                try unescape(start, end, into: &out)
                return String(decoding: out, as: UTF8.self)
            }
            if b == 0x5C { hasEscape = true; index += 2; continue }
            if b < 0x20 { throw fail("control character in string") }
            index += 1
        }
        throw fail("unterminated string")
    }

    /// Reads a string and returns `cached` itself when the raw bytes equal it (no allocation);
    /// otherwise reads a new string and caches it. Ids repeat in every chat token.
    mutating func readString(reusing cached: inout String?) throws(JSONSyntaxError) -> String {
        if let known = cached, peek() == 0x22 {
            let open = index
            let matched =
                known.utf8.withContiguousStorageIfAvailable { stored -> Bool in
                    let end = open + 1 + stored.count
                    guard end < bytes.count, bytes[end] == 0x22 else { return false }
                    for i in 0..<stored.count {
                        let b = bytes[open + 1 + i]
                        if b != stored[i] || b == 0x5C { return false }
                    }
                    return true
                } ?? false
            if matched {
                index = open + known.utf8.count + 2
                return known
            }
        }
        let value = try readString()
        cached = value
        return value
    }

    /// Appends the decoded bytes of the escaped string body `start..<end` to `out`.
    private func unescape(_ start: Int, _ end: Int, into out: inout [UInt8]) throws(JSONSyntaxError) {
        var i = start
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= end else { return nil }
            var v: UInt32 = 0
            for k in at..<(at + 4) {
                let c = bytes[k]
                let d: UInt8
                switch c {
                case 0x30...0x39: d = c - 0x30
                case 0x41...0x46: d = c - 0x41 + 10
                case 0x61...0x66: d = c - 0x61 + 10
                default: return nil
                }
                v = v << 4 | UInt32(d)
            }
            return v
        }
        func append(_ scalar: Unicode.Scalar) {
            let v = scalar.value
            switch v {
            case 0..<0x80: out.append(UInt8(v))
            case 0x80..<0x800: out.append(contentsOf: [UInt8(0xC0 | v >> 6), UInt8(0x80 | v & 0x3F)])
            case 0x800..<0x10000:
                out.append(contentsOf: [UInt8(0xE0 | v >> 12), UInt8(0x80 | v >> 6 & 0x3F), UInt8(0x80 | v & 0x3F)])
            default:
                out.append(contentsOf: [UInt8(0xF0 | v >> 18), UInt8(0x80 | v >> 12 & 0x3F), UInt8(0x80 | v >> 6 & 0x3F),
                                        UInt8(0x80 | v & 0x3F)])
            }
        }
        while i < end {
            if bytes[i] != 0x5C {
                // copy the run up to the next backslash at once
                var runEnd = i + 1
                while runEnd < end, bytes[runEnd] != 0x5C { runEnd += 1 }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<runEnd]))
                i = runEnd
                continue
            }
            guard i + 1 < end else { throw JSONSyntaxError(reason: "bad escape", offset: i) }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x2F: out.append(0x2F)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                guard let u = hex4(i) else { throw JSONSyntaxError(reason: "bad \\u escape", offset: i) }
                i += 4
                if (0xD800...0xDBFF).contains(u), i + 6 <= end, bytes[i] == 0x5C, bytes[i + 1] == 0x75,
                    let low = hex4(i + 2), (0xDC00...0xDFFF).contains(low)
                {
                    i += 6
                    append(Unicode.Scalar(0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}")
                } else {
                    append(Unicode.Scalar(u) ?? "\u{FFFD}")
                }
            default: throw JSONSyntaxError(reason: "bad escape", offset: i - 1)
            }
        }
    }

    // MARK: numbers

    /// Reads a number's text per RFC 8259, or throws.
    mutating func readNumberText() throws(JSONSyntaxError) -> String {
        skipWhitespace()
        let start = index
        guard scanNumber() else { throw fail("invalid number") }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    /// Advances over a number; false (index unspecified) when the text is not a number.
    mutating func scanNumber() -> Bool {
        func digits() -> Int {
            let s = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            return index - s
        }
        if index < bytes.count, bytes[index] == 0x2D { index += 1 }
        guard index < bytes.count else { return false }
        if bytes[index] == 0x30 { index += 1 } else if digits() == 0 { return false }
        if index < bytes.count, bytes[index] == 0x2E {
            index += 1
            if digits() == 0 { return false }
        }
        if index < bytes.count, bytes[index] | 0x20 == 0x65 {
            index += 1
            if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
            if digits() == 0 { return false }
        }
        return true
    }

    /// Reads a number as a `Double`, or `nil` when the value there is not a number (then skipped).
    mutating func readDoubleOrSkip() throws(JSONSyntaxError) -> Double? {
        guard let b = peek(), b == 0x2D || (0x30...0x39).contains(b) else { try skipValue(); return nil }
        return Double(try readNumberText())
    }

    // MARK: values

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail("unexpected end") }
        for i in 0..<count where bytes[index + i] != word.utf8Start[i] { throw fail("unexpected token") }
        index += count
    }

    /// Skips one value of any kind without building it. Inside containers only brackets and
    /// strings are tracked (with a counter, so deep input costs no stack); skipped content is
    /// not validated further.
    mutating func skipValue() throws(JSONSyntaxError) {
        guard let first = peek() else { throw fail("unexpected end") }
        switch first {
        case 0x22: try skipString(); return
        case 0x7B, 0x5B: break
        case 0x74: try literal("true"); return
        case 0x66: try literal("false"); return
        case 0x6E: try literal("null"); return
        default:
            guard scanNumber() else { throw fail("unexpected token") }
            return
        }
        var depth = 0
        while index < bytes.count {
            switch bytes[index] {
            case 0x22:
                try skipString()
                continue
            case 0x7B, 0x5B:
                depth += 1
                if depth > Self.maxDepth { throw fail("nested too deeply") }
            case 0x7D, 0x5D:
                depth -= 1
                if depth == 0 { index += 1; return }
            default: break
            }
            index += 1
        }
        throw fail("unexpected end")
    }

    private mutating func skipString() throws(JSONSyntaxError) {
        index += 1
        while index < bytes.count {
            let b = bytes[index]
            if b == 0x22 { index += 1; return }
            if b == 0x5C { index += 2; continue }
            if b < 0x20 { throw fail("control character in string") }
            index += 1
        }
        throw fail("unterminated string")
    }

    /// Reads one complete value.
    mutating func readValue(depth: Int = 0) throws(JSONSyntaxError) -> JSONValue {
        guard depth <= Self.maxDepth else { throw fail("nested too deeply") }
        guard let b = peek() else { throw fail("unexpected end") }
        switch b {
        case 0x7B:
            index += 1
            var members: [String: JSONValue] = [:]
            if take(0x7D) { return .object(members) }
            repeat {
                let key = try readString()
                try expect(0x3A)
                members[key] = try readValue(depth: depth + 1)
            } while take(0x2C)
            try expect(0x7D)
            return .object(members)
        case 0x5B:
            index += 1
            var items: [JSONValue] = []
            if take(0x5D) { return .array(items) }
            repeat { items.append(try readValue(depth: depth + 1)) } while take(0x2C)
            try expect(0x5D)
            return .array(items)
        case 0x22: return .string(try readString())
        case 0x74: try literal("true"); return .bool(true)
        case 0x66: try literal("false"); return .bool(false)
        case 0x6E: try literal("null"); return .null
        default: return .number(JSONNumber(validatedText: try readNumberText()))
        }
    }
}

extension JSONValue {
    /// Parses JSON text (UTF-8 bytes). Invalid UTF-8 inside strings becomes U+FFFD; nesting
    /// deeper than 512 levels is rejected instead of exhausting the stack. Text that is not
    /// JSON is a `validation` ``MuxiError`` (`INVALID_JSON`) saying where and why.
    ///
    /// ```swift
    /// let v = try JSONValue(parsing: Array(#"{"a":[1,2]}"#.utf8))
    /// ```
    public init(parsing bytes: some Collection<UInt8>) throws(MuxiError) {
        do {
            let parsed = try bytes.withContiguousStorageIfAvailable { try Self.parse($0) }
            self = try parsed ?? Array(bytes).withUnsafeBufferPointer { try Self.parse($0) }
        } catch {
            throw MuxiError(kind: .validation, code: "INVALID_JSON", message: "\(error)")
        }
    }

    /// Parses JSON text from a string.
    ///
    /// ```swift
    /// let v = try JSONValue(parsing: #"{"ok":true}"#)
    /// ```
    public init(parsing text: String) throws(MuxiError) {
        try self.init(parsing: Array(text.utf8))
    }

    static func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        var scanner = JSONScanner(buffer)
        let value = try scanner.readValue()
        scanner.skipWhitespace()
        guard scanner.isAtEnd else { throw scanner.fail("trailing characters") }
        return value
    }
}
