public import struct Foundation.Data
import Foundation

/// A file sent with a chat turn (`files` of `POST /v1/chat` and `/v1/audiochat`): its name,
/// its content type and its bytes.
///
/// How the bytes travel follows what the runtime reads, not what the official SDKs send: a
/// text file (``isText``: a textual type, valid UTF-8) goes as its text, because the runtime
/// (1.20260928.0, `overlord.py` document phase) uses a document's `content` as it is, so a
/// base64 string would reach the model as base64; images, audio and other binary files go
/// base64-encoded (the runtime decodes audio and passes images on as `data:` URLs).
///
/// Made from a file on disk, it is checked before anything is sent: a missing file, a
/// folder, an unreadable or empty file, or one over the size limit (by default the runtime's
/// own, ``runtimeLimit``) is a ``MuxiError`` naming the file. The content type comes from
/// the bytes when they say (PNG, JPEG, GIF, WebP, PDF, WAV, MP3, OGG, FLAC, ZIP), else from the
/// name's extension.
///
/// ```swift
/// let notes = try Attachment(path: "notes/meeting.md")
/// let chart = Attachment(filename: "chart.png", data: png)          // image/png, from the bytes
/// try await formation.chat(ChatRequest("Summarise these", files: [notes, chart]))
/// ```
public struct Attachment: Sendable, Hashable {
    /// The file name (the last part of the path it was read from).
    public var filename: String
    /// The MIME type.
    public var contentType: String
    /// The bytes.
    public var data: Data

    /// The largest file the runtime accepts by default (`limits.max_file_size_bytes`, 50 MB;
    /// a formation can set another).
    public static let runtimeLimit = 52_428_800

    /// A file from bytes; `contentType` nil finds it from the bytes and the name.
    public init(filename: String, contentType: String? = nil, data: Data) {
        self.filename = filename
        self.contentType = contentType ?? Self.contentType(filename: filename, bytes: data.prefix(16))
        self.data = data
    }

    /// Reads the file at `path`; throws a `VALIDATION_ERROR` ``MuxiError`` naming it when it
    /// is missing, a folder, unreadable, empty, or larger than `limit` bytes (checked before
    /// it is read).
    ///
    /// ```swift
    /// let file = try Attachment(path: "~/Downloads/report.pdf", limit: 10 << 20)
    /// ```
    public init(path: String, limit: Int = Attachment.runtimeLimit) throws(MuxiError) {
        let info = try Self.check(path: path, limit: limit)
        let full = (path as NSString).expandingTildeInPath
        guard let data = FileManager.default.contents(atPath: full) else { throw Self.refused("\(path) cannot be read") }
        guard !data.isEmpty else { throw Self.refused("\(path) is empty") }
        guard data.count <= limit else {   // it grew since
            throw Self.refused("\(path) is \(Self.describe(size: data.count)), over the limit of \(Self.describe(size: limit))")
        }
        self.init(filename: info.filename, contentType: info.contentType, data: data)
    }

    /// What a file would be sent as, checked as ``init(path:limit:)`` checks it but reading
    /// only its first bytes (for a list of attachments shown before sending).
    ///
    /// ```swift
    /// let info = try Attachment.check(path: "report.pdf")   // ("report.pdf", 48213, "application/pdf")
    /// ```
    public static func check(path: String, limit: Int = Attachment.runtimeLimit) throws(MuxiError)
        -> (filename: String, size: Int, contentType: String) {
        let full = (path as NSString).expandingTildeInPath
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: full, isDirectory: &isFolder) else { throw refused("\(path): no such file") }
        guard !isFolder.boolValue else { throw refused("\(path) is a folder, not a file") }
        let size = ((try? FileManager.default.attributesOfItem(atPath: full))?[.size] as? NSNumber)?.intValue ?? 0
        guard size <= limit else {
            throw refused("\(path) is \(describe(size: size)), over the limit of \(describe(size: limit))")
        }
        guard let handle = FileHandle(forReadingAtPath: full) else { throw refused("\(path) cannot be read") }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 16)) ?? nil
        guard let head, !head.isEmpty else { throw refused(size == 0 ? "\(path) is empty" : "\(path) cannot be read") }
        let name = (full as NSString).lastPathComponent
        return (name, size, contentType(filename: name, bytes: head))
    }

    /// The MIME type of a file: from its first bytes when they identify a format, else from
    /// the name's extension, else `application/octet-stream`.
    ///
    /// ```swift
    /// Attachment.contentType(filename: "a.csv", bytes: Data("x,y".utf8))   // "text/csv"
    /// Attachment.contentType(filename: "a.txt", bytes: Data([0x89, 0x50, 0x4E, 0x47])) // "image/png"
    /// ```
    public static func contentType(filename: String, bytes: Data) -> String {
        let head = [UInt8](bytes.prefix(16))
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + magic.count && Array(head[offset..<offset + magic.count]) == magic
        }
        if starts([0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if starts(Array("GIF8".utf8)) { return "image/gif" }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return "image/webp" }
        if starts(Array("RIFF".utf8)) && starts(Array("WAVE".utf8), at: 8) { return "audio/wav" }
        if starts(Array("%PDF".utf8)) { return "application/pdf" }
        if starts(Array("ID3".utf8)) || starts([0xFF, 0xFB]) || starts([0xFF, 0xF3]) { return "audio/mpeg" }
        if starts(Array("OggS".utf8)) { return "audio/ogg" }
        if starts(Array("fLaC".utf8)) { return "audio/flac" }
        let byName = byExtension[(filename as NSString).pathExtension.lowercased()]
        if starts([0x50, 0x4B, 0x03, 0x04]) { return byName ?? "application/zip" }   // docx, xlsx… are zips
        return byName ?? "application/octet-stream"
    }

    static let byExtension: [String: String] = [
        "txt": "text/plain", "md": "text/markdown", "markdown": "text/markdown", "csv": "text/csv",
        "tsv": "text/tab-separated-values", "json": "application/json", "xml": "application/xml", "html": "text/html",
        "htm": "text/html", "yaml": "application/yaml", "yml": "application/yaml", "toml": "application/toml",
        "log": "text/plain", "py": "text/x-python", "swift": "text/x-swift", "js": "text/javascript", "ts": "text/plain",
        "sh": "text/x-shellscript", "c": "text/x-c", "h": "text/x-c", "go": "text/x-go", "rs": "text/x-rust",
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp",
        "svg": "image/svg+xml", "pdf": "application/pdf", "zip": "application/zip",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "wav": "audio/wav", "mp3": "audio/mpeg", "m4a": "audio/mp4", "ogg": "audio/ogg", "oga": "audio/ogg",
        "flac": "audio/flac", "webm": "audio/webm", "mp4": "video/mp4",
    ]

    /// A size as people read it: `812 B`, `4.2 KB`, `50.0 MB`.
    public static func describe(size: Int) -> String {
        if size < 1000 { return "\(size) B" }
        if size < 1_000_000 { return String(format: "%.1f KB", Double(size) / 1000) }
        if size < 1_000_000_000 { return String(format: "%.1f MB", Double(size) / 1_000_000) }
        return String(format: "%.1f GB", Double(size) / 1_000_000_000)
    }

    private static func refused(_ message: String) -> MuxiError {
        MuxiError(kind: .validation, code: "VALIDATION_ERROR", message: message)
    }

    /// Whether the file goes as text (see the type's discussion): a textual content type
    /// (`text/…`, JSON, XML, YAML, TOML, JavaScript) and bytes that are valid UTF-8.
    public var isText: Bool {
        let type = contentType.lowercased()
        let textual = type.hasPrefix("text/") || ["json", "xml", "yaml", "toml", "javascript"].contains { type.contains($0) }
        return textual && String(data: data, encoding: .utf8) != nil
    }

    /// Appends `,"files":[…]` to the JSON object in `body` (which ends with `}`), each file's
    /// base64 written straight into the body: the file's bytes and the body are the only
    /// copies held (no base64 string, no JSON tree of it).
    static func append(_ files: [Attachment], toObject body: inout [UInt8]) {
        guard !files.isEmpty, body.last == UInt8(ascii: "}") else { return }
        body.removeLast()
        body.reserveCapacity(body.count + files.reduce(16) { $0 + ($1.data.count + 2) / 3 * 4 + $1.filename.utf8.count + 96 })
        body.append(contentsOf: Array((body.count > 1 ? ",\"files\":[" : "\"files\":[").utf8))
        for (index, file) in files.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: Array("{\"filename\":".utf8))
            body.append(contentsOf: JSONWriter.bytes(.string(file.filename)))
            body.append(contentsOf: Array(",\"content_type\":".utf8))
            body.append(contentsOf: JSONWriter.bytes(.string(file.contentType)))
            body.append(contentsOf: Array(",\"size\":\(file.data.count),\"content\":".utf8))
            if file.isText {
                body.append(contentsOf: JSONWriter.bytes(.string(String(decoding: file.data, as: UTF8.self))))
            } else {
                body.append(UInt8(ascii: "\""))
                Base64.append(file.data, to: &body)
                body.append(UInt8(ascii: "\""))
            }
            body.append(UInt8(ascii: "}"))
        }
        body.append(contentsOf: Array("]}".utf8))
    }
}

/// Standard base64 (RFC 4648, padded), written into an existing buffer.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Appends the base64 of `data` to `out`.
    ///
    /// ```swift
    /// var out: [UInt8] = []; Base64.append(Data("hi".utf8), to: &out)   // "aGk="
    /// ```
    static func append(_ data: Data, to out: inout [UInt8]) {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var i = 0
            while i + 3 <= bytes.count {
                let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                out.append(alphabet[Int(n >> 18 & 63)]); out.append(alphabet[Int(n >> 12 & 63)])
                out.append(alphabet[Int(n >> 6 & 63)]); out.append(alphabet[Int(n & 63)])
                i += 3
            }
            let rest = bytes.count - i
            if rest > 0 {
                let n = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
                out.append(alphabet[Int(n >> 18 & 63)]); out.append(alphabet[Int(n >> 12 & 63)])
                out.append(rest == 2 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "=")); out.append(UInt8(ascii: "="))
            }
        }
    }
}
