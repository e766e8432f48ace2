import MuxiClient

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
    public var label: String { "\(name) · \(Attachment.describe(size: size)) · \(contentType)" }
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
        if let size { parts.append(Attachment.describe(size: size)) }
        let head = parts.joined(separator: " · ")
        if let savedAt { return head + " → " + savedAt }
        if let problem { return head + " (not saved: \(problem))" }
        return head + " (kept by the formation: muxi-chat artifacts lists it)"
    }
}
