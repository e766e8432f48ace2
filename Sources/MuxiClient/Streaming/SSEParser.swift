#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An incremental Server-Sent Events parser that works on raw bytes.
///
/// Feed it network chunks of any size, split anywhere (inside a line, inside a CRLF, inside a
/// multi-byte character); it reports comments (heartbeats) and complete events. Line ends may
/// be LF, CR or CRLF; a leading byte-order mark is skipped; `data` lines are joined with `\n`;
/// one space after the colon is removed; an event with no `data` line is not dispatched; an
/// incomplete event at the end of the stream is dropped (as the SSE standard says). An event
/// larger than ``maxEventBytes`` throws instead of growing without bound.
///
/// ```swift
/// var parser = SSEParser()
/// var frames: [SSEFrame] = []
/// try parser.feed(Array("data: hi\n\n".utf8)) { record in
///     if case .event(let name, let data) = record { frames.append(SSEFrame(event: name, data: Array(data))) }
/// }
/// ```
package struct SSEParser: Sendable {
    /// What the parser reports. The data buffer is only valid during the callback.
    package enum Record {
        /// A comment line (`: keepalive`): the server is alive.
        case comment
        /// A complete event: its `event:` name (nil means the default, `message`) and its data.
        case event(name: String?, data: UnsafeBufferPointer<UInt8>)
    }

    /// The largest event (all its lines together) accepted, in bytes.
    package let maxEventBytes: Int
    /// The last `id:` seen, per the SSE standard (the MUXI runtime sends none).
    package private(set) var lastEventID: String?
    /// The last `retry:` value seen, in milliseconds.
    package private(set) var retry: Int?

    private var pendingLine: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var eventName: String?
    private var skipLF = false
    private var atStart = true
    private var eventBytes = 0

    /// A parser that refuses events larger than `maxEventBytes` (default 16 MiB).
    ///
    /// ```swift
    /// var parser = SSEParser(maxEventBytes: 1 << 20)
    /// ```
    package init(maxEventBytes: Int = 16 << 20) {
        self.maxEventBytes = maxEventBytes
    }

    /// Feeds one chunk of the stream.
    ///
    /// ```swift
    /// try parser.feed(chunk) { record in print(record) }
    /// ```
    package mutating func feed(_ chunk: [UInt8], _ handle: (Record) throws -> Void) throws {
        try chunk.withUnsafeBufferPointer { try feed($0, handle) }
    }

    /// Feeds one chunk of the stream from a borrowed buffer.
    ///
    /// ```swift
    /// try bytes.withUnsafeBufferPointer { try parser.feed($0) { _ in } }
    /// ```
    package mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, _ handle: (Record) throws -> Void) throws {
        var i = 0
        let n = chunk.count
        if atStart {
            // A UTF-8 BOM may be split across chunks: hold back its prefix until decided.
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
            while i < n, pendingLine.count < 3 {
                pendingLine.append(chunk[i])
                i += 1
                if pendingLine != Array(bom.prefix(pendingLine.count)) { break }
            }
            if pendingLine == bom {
                pendingLine.removeAll()
                atStart = false
            } else if pendingLine.count < 3 && pendingLine == Array(bom.prefix(pendingLine.count)) && i == n {
                return
            } else {
                atStart = false
                let held = pendingLine
                pendingLine.removeAll()
                try held.withUnsafeBufferPointer { try scanLines($0, handle) }
            }
        }
        try scanLines(UnsafeBufferPointer(rebasing: chunk[i..<n]), handle)
    }

    private mutating func scanLines(_ chunk: UnsafeBufferPointer<UInt8>, _ handle: (Record) throws -> Void) throws {
        let n = chunk.count
        guard n > 0, let base = chunk.baseAddress else { return }
        var i = 0
        if skipLF {
            skipLF = false
            if chunk[0] == 0x0A { i = 1 }
        }
        // Line ends are found with memchr (vectorised); CR is searched once per run of lines.
        var nextCR = -1
        // A one-line event's data is handed over in place, without a copy; it is copied only
        // when the event is still open at the end of this chunk.
        var slice: UnsafeBufferPointer<UInt8>?
        defer { if let slice { data.append(contentsOf: slice) } }
        while i < n {
            if nextCR < i {
                nextCR = memchr(base + i, 0x0D, n - i).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? n
            }
            let nextLF = memchr(base + i, 0x0A, n - i).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? n
            let end = Swift.min(nextLF, nextCR)
            if end == n {
                try append(UnsafeBufferPointer(rebasing: chunk[i..<n]), toPendingLine: ())
                return
            }
            let line = UnsafeBufferPointer(rebasing: chunk[i..<end])
            if pendingLine.isEmpty {
                try processLine(line, inPlace: &slice, handle)
            } else {
                try append(line, toPendingLine: ())
                let whole = pendingLine
                pendingLine.removeAll(keepingCapacity: true)
                if let held = slice {
                    data.append(contentsOf: held)
                    slice = nil
                }
                // `whole` dies with this scope: data left in place must be copied inside it.
                try whole.withUnsafeBufferPointer { line in
                    var inWhole: UnsafeBufferPointer<UInt8>?
                    try processLine(line, inPlace: &inWhole, handle)
                    if let held = inWhole { data.append(contentsOf: held) }
                }
            }
            i = end + 1
            if chunk[end] == 0x0D {
                if i < n {
                    if chunk[i] == 0x0A { i += 1 }
                } else {
                    skipLF = true
                }
            }
        }
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, toPendingLine: Void) throws {
        guard eventBytes + pendingLine.count + bytes.count <= maxEventBytes else { throw tooLarge() }
        pendingLine.append(contentsOf: bytes)
    }

    private func tooLarge() -> MuxiError {
        MuxiError(kind: .stream, code: "EVENT_TOO_LARGE",
                  message: "the server sent an event larger than \(maxEventBytes) bytes")
    }

    /// Handles one line. `inPlace` holds the data of a one-line event that still lies in the
    /// caller's buffer (valid until the caller returns).
    private mutating func processLine(_ line: UnsafeBufferPointer<UInt8>, inPlace: inout UnsafeBufferPointer<UInt8>?,
                                      _ handle: (Record) throws -> Void) throws {
        if line.isEmpty {
            let name = eventName
            let had = hasData
            eventName = nil
            hasData = false
            eventBytes = 0
            if let held = inPlace {
                inPlace = nil
                try handle(.event(name: name, data: held))
            } else if had {
                try data.withUnsafeBufferPointer { try handle(.event(name: name, data: $0)) }
            }
            data.removeAll(keepingCapacity: true)
            return
        }
        if line[0] == 0x3A {
            try handle(.comment)
            return
        }
        eventBytes += line.count
        guard eventBytes <= maxEventBytes else { throw tooLarge() }
        var colon = 0
        while colon < line.count, line[colon] != 0x3A { colon += 1 }
        let field = UnsafeBufferPointer(rebasing: line[0..<colon])
        var valueStart = Swift.min(colon + 1, line.count)
        if valueStart < line.count, line[valueStart] == 0x20 { valueStart += 1 }
        let value = UnsafeBufferPointer(rebasing: line[valueStart..<line.count])
        switch field.count {
        case 4 where field[0] == 0x64 && field[1] == 0x61 && field[2] == 0x74 && field[3] == 0x61:  // data
            if !hasData {
                inPlace = value
            } else {
                if let held = inPlace {
                    data.append(contentsOf: held)
                    inPlace = nil
                }
                data.append(0x0A)
                data.append(contentsOf: value)
            }
            hasData = true
        case 5 where field.elementsEqual("event".utf8):
            eventName = String(decoding: value, as: UTF8.self)
        case 2 where field.elementsEqual("id".utf8):
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        case 5 where field.elementsEqual("retry".utf8):
            if !value.isEmpty, value.allSatisfy({ (0x30...0x39).contains($0) }) {
                retry = Int(String(decoding: value, as: UTF8.self))
            }
        default:
            break
        }
    }
}

/// One complete SSE event, owned (the library parses streams incrementally; this is the whole-event form).
///
/// ```swift
/// let frames = try SSEFrame.parseAll(Array("event: done\ndata: {}\n\n".utf8))
/// frames[0].event // "done"
/// ```
public struct SSEFrame: Sendable, Hashable {
    /// The `event:` name, or nil for the default type.
    public var event: String?
    /// The data lines joined with `\n`.
    public var data: [UInt8]

    /// A frame with an event name and data.
    ///
    /// ```swift
    /// let f = SSEFrame(event: nil, data: Array("{}".utf8))
    /// ```
    public init(event: String?, data: [UInt8]) {
        self.event = event
        self.data = data
    }

    /// The data as text.
    ///
    /// ```swift
    /// frame.text // "{\"finished\":true}"
    /// ```
    public var text: String { String(decoding: data, as: UTF8.self) }

    /// Every complete event in `bytes` (comments are dropped).
    ///
    /// ```swift
    /// let frames = try SSEFrame.parseAll(capturedBytes)
    /// ```
    public static func parseAll(_ bytes: [UInt8]) throws -> [SSEFrame] {
        var parser = SSEParser()
        var frames: [SSEFrame] = []
        try parser.feed(bytes) { record in
            if case .event(let name, let data) = record { frames.append(SSEFrame(event: name, data: Array(data))) }
        }
        return frames
    }
}
