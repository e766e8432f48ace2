/// What takes the keys over the panes: at most one at a time, by construction
/// (``AppState/modal`` is one optional of this type).
///
/// A modal gets every key first. The confirmations and forms keep every key; the picker and
/// the search let the keys they have no use for reach the panes (typing answers a question in
/// your own words; PgUp scrolls under the search). Opening one closes the one before, except
/// a confirmation from a panel, which carries the panel to show again (``Confirmation/returnTo``).
public indirect enum Modal: Sendable, Equatable {
    case confirm(Confirmation)
    case memoryForm(MemoryForm)
    /// The help, scrolled down by `offset` lines.
    case help(offset: Int)
    case palette(Palette)
    case jobs(JobsPanel)
    /// The form that creates a job, over the jobs panel it came from.
    case jobForm(JobForm, JobsPanel)
    case triggers(TriggersPanel)
    /// The form that fires a trigger, over the triggers panel it came from.
    case triggerForm(TriggerForm, TriggersPanel)
    /// The choices of a clarification the agent asked.
    case picker(Picker)
    case search(TranscriptSearch)
    /// The files of this session's answers, or one of them shown.
    case artifacts(ArtifactsPanel)
    /// Ctrl+C on an empty message: a second Ctrl+C quits, any other key goes on as usual.
    case quitPrompt

    /// Whether keys the modal has no use for go on to the message box (its cursor stays).
    var passesTyping: Bool {
        switch self {
        case .picker, .quitPrompt: return true
        default: return false
        }
    }

    /// Whether the modal has a text field where the terminal's cursor belongs.
    var typesText: Bool {
        switch self {
        case .memoryForm, .palette, .jobForm, .triggerForm, .search: return true
        default: return false
        }
    }
}

/// The command palette: what was typed and the chosen command.
public struct Palette: Sendable, Equatable {
    public var query = LineEditor()
    public var selection = ListSelection()
    public init() {}
}

/// The transcript search: what is searched, the entry of the current match, and how many
/// entries match.
public struct TranscriptSearch: Sendable, Equatable {
    public var query = LineEditor()
    public var match: Int?
    public var count = 0
    /// Which match is shown, 1 for the newest.
    public var ordinal = 0
    public init() {}
}
