/// A file attached to the message being written (`/attach PATH`), shown above the message
/// box and sent with it. It was checked when attached (it exists, is a file, is readable and
/// within the size limit) and is read, and checked again, when the message is sent.
///
/// ```swift
/// let file = AttachedFile(path: "/tmp/a.csv", name: "a.csv", size: 812, contentType: "text/csv")
/// file.label   // "a.csv · 812 B · text/csv"
/// ```
public struct AttachedFile: Sendable, Equatable {
    public var path: String
    public var name: String
    public var size: Int
    public var contentType: String

    public init(path: String, name: String, size: Int, contentType: String) {
        self.path = path
        self.name = name
        self.size = size
        self.contentType = contentType
    }

    /// Name, size and type, as the chips and the transcript show it.
    public var label: String { "\(name) · \(Self.describe(size: size)) · \(contentType)" }

    /// A size as people read it (`812 B`, `4.2 KB`, `3.1 MB`).
    public static func describe(size: Int) -> String {
        if size < 1000 { return "\(size) B" }
        let (value, unit) = size < 1_000_000 ? (Double(size) / 1000, "KB") : size < 1_000_000_000 ? (Double(size) / 1e6, "MB") : (Double(size) / 1e9, "GB")
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(unit)"
    }
}

/// A file an agent made, under the answer that made it: what it is and where it was saved.
public struct ProducedFile: Sendable, Equatable {
    public var name: String
    public var kind: String
    public var size: Int?
    /// Where it was saved (nil: kept by the formation only, or not saved: see ``problem``).
    public var savedAt: String?
    /// Why it could not be saved.
    public var problem: String?

    public init(name: String, kind: String, size: Int?, savedAt: String?, problem: String? = nil) {
        self.name = name
        self.kind = kind
        self.size = size
        self.savedAt = savedAt
        self.problem = problem
    }

    /// The line under the answer.
    public var label: String {
        var parts = [name, kind]
        if let size { parts.append(AttachedFile.describe(size: size)) }
        let head = parts.joined(separator: " · ")
        if let savedAt { return head + " → " + savedAt }
        if let problem { return head + " (not saved: \(problem))" }
        return head + " (kept by the formation: muxi-chat artifacts lists it)"
    }
}
