import ChatApp
import TerminalUI

/// Reading the app's state in tests: the open modal's parts by name.
extension AppState {
    var picker: Picker? { if case .picker(let p) = modal { return p }; return nil }
    var search: TranscriptSearch? { if case .search(let p) = modal { return p }; return nil }
    var confirmation: Confirmation? { if case .confirm(let c) = modal { return c }; return nil }
    var memoryForm: MemoryForm? { if case .memoryForm(let f) = modal { return f }; return nil }
    var noticeText: String? { notice?.text }

    /// Types each character as a key.
    mutating func type(_ text: String) {
        for c in text { _ = apply(.key(.character(c))) }
    }
}
