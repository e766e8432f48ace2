public import struct Foundation.Data
import Foundation

/// A file an agent produced (a CSV, an image, a document…): one of a turn's `completed`
/// event (with its content inline or as a `data:` URL) or one kept by the formation's artifact
/// memory (`GET /v1/artifacts`, with an ``id`` and its content at `/artifacts/{id}/content`).
///
/// ```swift
/// for a in completion.artifacts { print(a.filename ?? "-", a.sizeBytes ?? 0) }
/// let saved = try completion.artifacts[0].save(in: "out")   // "out/report.csv"
/// ```
public struct Artifact: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The stored artifact's id (`art_…`); nil for one sent only inline with an answer.
    public let id: String?
    /// `text`, `document`, `image` or `data` (a turn's); the category (a stored one's).
    public let type: String
    /// The file format (`csv`, `png`…), when given.
    public let format: String?
    /// The file name, as the agent gave it (never used as a path as it is: see ``save(in:)``).
    public let filename: String?
    /// The MIME type, when given.
    public let contentType: String?
    /// Inline text content, when sent.
    public let content: String?
    /// A `data:` URL, when sent.
    public let dataURL: String?
    /// The size in bytes.
    public let sizeBytes: Int?
    /// The version (stored artifacts; 1 for the first).
    public let version: Int?
    /// A one-line summary (stored artifacts).
    public let summary: String?
    /// The session it was made in (stored artifacts).
    public let sessionID: String?
    /// When it was made.
    public let createdAt: Date?

    /// Reads the model from its JSON object (either shape); never fails on missing fields.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        id = json.string("id")
        type = json.string("type") ?? json.string("category") ?? "data"
        format = json.string("format")
        filename = json.string("filename") ?? json.string("name")
        contentType = json.string("content_type") ?? json.string("mime_type")
        content = json.string("content")
        dataURL = json.string("data_url")
        sizeBytes = json["metadata"]?.int("size_bytes") ?? json.int("size_bytes")
        version = json.int("version")
        summary = json.string("summary")
        sessionID = json.string("conversation_id") ?? json.string("session_id")
        createdAt = (json["created_at"] ?? json["metadata"]?["created_at"]).flatMap { Timestamp.date(from: $0) }
    }

    /// The bytes carried with the artifact: its `data:` URL decoded, else its inline text;
    /// nil when it carries none (a stored artifact: ``FormationClient/saveArtifact(_:version:in:userID:)``).
    public var inlineBytes: Data? {
        if let dataURL, let comma = dataURL.firstIndex(of: ",") {
            let header = dataURL[..<comma], payload = String(dataURL[dataURL.index(after: comma)...])
            if header.hasSuffix(";base64") { return Data(base64Encoded: payload, options: .ignoreUnknownCharacters) }
            return payload.removingPercentEncoding.map { Data($0.utf8) }
        }
        return content.map { Data($0.utf8) }
    }

    /// Writes the artifact's inline bytes into `folder` (made when missing) under a safe name
    /// (see ``ArtifactFiles/safeName(_:fallbackExtension:)``), never over an existing file;
    /// returns the path written.
    ///
    /// ```swift
    /// let path = try artifact.save(in: "/tmp/out")
    /// ```
    public func save(in folder: String) throws(MuxiError) -> String {
        guard let bytes = inlineBytes else {
            throw MuxiError(kind: .validation, code: "NO_CONTENT",
                            message: "artifact \(filename ?? id ?? "") carries no content; fetch it by id with saveArtifact")
        }
        return try ArtifactFiles.save(bytes, in: folder, name: ArtifactFiles.safeName(filename ?? "", fallbackExtension: format))
    }
}

/// Where artifacts are written: names made safe, files never overwritten.
public enum ArtifactFiles {
    /// A file name safe to create inside a folder, from a name an agent chose: only its last
    /// path component, control characters and `/ \ :` removed, no leading dots, at most 120
    /// characters (the extension kept); `artifact` (with `fallbackExtension`) when nothing is left.
    ///
    /// ```swift
    /// ArtifactFiles.safeName("../../.bashrc")          // "bashrc"
    /// ArtifactFiles.safeName("", fallbackExtension: "csv")   // "artifact.csv"
    /// ```
    public static func safeName(_ raw: String, fallbackExtension: String? = nil) -> String {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var name = String(String.UnicodeScalarView(last.unicodeScalars.filter {
            !(CharacterSet.controlCharacters.contains($0) || $0 == ":" || $0.properties.generalCategory == .format)
        })).trimmingCharacters(in: .whitespaces)
        while name.hasPrefix(".") { name.removeFirst() }
        if name.isEmpty {
            let ext = (fallbackExtension ?? "").filter { $0.isLetter || $0.isNumber }.prefix(10)
            return ext.isEmpty ? "artifact" : "artifact.\(ext)"
        }
        if name.count > 120 {
            let ext = (name as NSString).pathExtension
            let keep = ext.isEmpty || ext.count > 10 ? "" : "." + ext
            name = String(name.prefix(120 - keep.count)) + keep
        }
        return name
    }

    /// Writes `data` as `name` in `folder` (made when missing), or `name-1`, `name-2`… when
    /// taken; returns the path written.
    ///
    /// ```swift
    /// let path = try ArtifactFiles.save(Data("hi".utf8), in: "/tmp/out", name: "a.txt")   // "/tmp/out/a.txt"
    /// ```
    public static func save(_ data: Data, in folder: String, name: String) throws(MuxiError) -> String {
        let file = try create(in: folder, name: safeName(name))
        defer { try? file.handle.close() }
        do { try file.handle.write(contentsOf: data) } catch {
            throw MuxiError(kind: .unknown, code: "WRITE_FAILED", message: "cannot write \(file.path): \(error.localizedDescription)")
        }
        return file.path
    }

    /// Creates `name` in `folder` (made when missing), or `name-1`, `name-2`… when taken,
    /// atomically (never overwriting); returns the path and a handle to write.
    static func create(in folder: String, name: String) throws(MuxiError) -> (path: String, handle: FileHandle) {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw MuxiError(kind: .unknown, code: "WRITE_FAILED", message: "cannot create \(folder): \(error.localizedDescription)")
        }
        let stem = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension
        for n in 0..<10_000 {
            let candidate = n == 0 ? name : "\(stem)-\(n)" + (ext.isEmpty ? "" : ".\(ext)")
            let path = (folder as NSString).appendingPathComponent(candidate)
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 { return (path, FileHandle(fileDescriptor: fd, closeOnDealloc: true)) }
            if errno != EEXIST {
                throw MuxiError(kind: .unknown, code: "WRITE_FAILED", message: "cannot create \(path): \(String(cString: strerror(errno)))")
            }
        }
        throw MuxiError(kind: .unknown, code: "WRITE_FAILED", message: "\(folder) already holds 10,000 files named \(name)")
    }

    /// The file name of a `Content-Disposition` header: `filename*=UTF-8''…` first, else `filename="…"`.
    static func filename(fromDisposition header: String) -> String? {
        for part in header.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if part.lowercased().hasPrefix("filename*=") {
                let value = part.dropFirst("filename*=".count)
                if let quote = value.range(of: "''") { return String(value[quote.upperBound...]).removingPercentEncoding }
            }
        }
        for part in header.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) })
        where part.lowercased().hasPrefix("filename=") {
            return String(part.dropFirst("filename=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }
}
