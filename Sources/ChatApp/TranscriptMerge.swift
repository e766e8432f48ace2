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
