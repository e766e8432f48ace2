public import MuxiClient

/// What the transcript shows of a session the server still has: the server's messages, plus the
/// answers the user saw end unfinished (cancelled or failed), which the server does not keep.
/// They come from the local copy and go back after the question they answered (at the end,
/// with their question, when the server did not keep the question).
///
/// ```swift
/// TranscriptMerge.addUnfinished(server: [question], local: [question, cancelledAnswer])
/// // [question, cancelledAnswer]
/// ```
public enum TranscriptMerge {
    /// What opening a session shows, from the server's answer and the local copy: the
    /// server's messages (with the unfinished answers added); when the server has none (it lost
    /// its in-memory sessions) or failed, the local copy, which Ctrl+R can put back; a failure
    /// is also its one line.
    ///
    /// ```swift
    /// TranscriptMerge.events(sessionID: "sess_a", server: .success([]), local: cached)   // [.cacheShown(…)]
    /// ```
    public static func events(sessionID id: String, server: Result<[Entry], MuxiError>, local: [Entry]) -> [AppEvent] {
        switch server {
        case .success(let entries) where !entries.isEmpty:
            return [.messagesLoaded(sessionID: id, addUnfinished(server: addFiles(server: entries, local: local), local: local))]
        case .success:
            if !local.isEmpty { return [.cacheShown(sessionID: id, local)] }
            return [.messagesLoaded(sessionID: id, [Entry(role: .info, text: "no messages for \(id), on the server or here")])]
        case .failure(let error):
            let line = AppEvent.failed(.messages, message: ErrorText.line(for: error))
            return local.isEmpty ? [line] : [.cacheShown(sessionID: id, local), line]
        }
    }

    /// The server's messages with the files the local copy lists under them (the server keeps
    /// no attachments with a message): matched by role and text, in order.
    ///
    /// ```swift
    /// TranscriptMerge.addFiles(server: [question], local: [questionWithItsFile])   // [questionWithItsFile]
    /// ```
    public static func addFiles(server: [Entry], local: [Entry]) -> [Entry] {
        var result = server
        var from = 0
        for entry in local where !entry.attachments.isEmpty || !entry.artifacts.isEmpty {
            guard let i = result[from...].firstIndex(where: { $0.role == entry.role && $0.text == entry.text }) else { continue }
            result[i].attachments = entry.attachments
            result[i].artifacts = entry.artifacts
            from = i + 1
        }
        return result
    }

    public static func addUnfinished(server: [Entry], local: [Entry]) -> [Entry] {
        let unfinished = local.indices.filter { local[$0].role == .assistant && (local[$0].status == .cancelled || local[$0].status == .failed) }
        guard !unfinished.isEmpty else { return server }
        var result = server
        for i in unfinished {
            // the question before it in the local copy, found in the server's list
            guard let q = local[..<i].lastIndex(where: { $0.role == .user }) else { continue }
            let question = local[q].text
            let occurrence = local[..<q].filter { $0.role == .user && $0.text == question }.count
            let matches = result.indices.filter { result[$0].role == .user && result[$0].text == question }
            guard occurrence < matches.count else {
                // the server did not keep the question either: both go at the end, as they were seen
                result.append(local[q])
                result.append(local[i])
                continue
            }
            var at = matches[occurrence] + 1
            // after the server's own answer to it, if it has one (a partial answer it kept)
            if at < result.count, result[at].role == .assistant {
                if result[at].text == local[i].text || local[i].text.isEmpty || result[at].text.hasPrefix(local[i].text) {
                    result[at].status = local[i].status
                    continue
                }
                at += 1
            }
            result.insert(local[i], at: at)
        }
        return result
    }
}
