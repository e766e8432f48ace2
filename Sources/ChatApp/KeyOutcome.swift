/// Whether a key was taken by a pane or modal (with what the outside world must do) or is not
/// its business, so the next one in line gets it.
public enum KeyOutcome: Sendable, Equatable {
    case handled([Effect])
    case notMine

    static let done = KeyOutcome.handled([])
}
