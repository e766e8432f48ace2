public import Foundation
import MuxiClient
public import TerminalUI

/// A scheduled job in the jobs panel.
public struct JobItem: Sendable, Equatable {
    public var id: String
    public var title: String
    public var schedule: String
    public var recurring: Bool
    public var status: String
    public var lastRun: Date?
    /// The last run's outcome ("success", or the failure), if it ran.
    public var lastResult: String?
    public init(id: String, title: String, schedule: String, recurring: Bool, status: String, lastRun: Date? = nil, lastResult: String? = nil) {
        self.id = id
        self.title = title
        self.schedule = schedule
        self.recurring = recurring
        self.status = status
        self.lastRun = lastRun
        self.lastResult = lastResult
    }
}

/// The jobs panel (`/jobs`): the user's jobs, a form to create one, pause, resume, delete.
public struct JobsPanel: Sendable, Equatable {
    /// The form that creates a job; the schedule is checked before anything is sent.
    public struct Form: Sendable, Equatable {
        public var message = Composer()
        public var schedule = Composer("0 9 * * *")
        public var recurring = true
        /// 0: message, 1: schedule, 2: one time or recurring.
        public var field = 0

        /// A new job's form: a daily cron schedule to start from.
        public init() {}
    }

    public var items: [JobItem] = []
    public var selected = 0
    public var note = "loading…"
    public var form: Form?
    public var confirmDelete: JobItem?

    /// An empty panel, loading.
    public init() {}

    mutating func key(_ key: Key, now: Date) -> [Effect]? {
        if let job = confirmDelete {
            confirmDelete = nil
            guard key == .character("y") || key == .character("Y") else {
                note = "not deleted"
                return []
            }
            note = "deleting…"
            return [.deleteJob(id: job.id)]
        }
        if form != nil { return formKey(key, now: now) }
        let chosen = items.indices.contains(selected) ? items[selected] : nil
        switch key {
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(max(0, items.count - 1), selected + 1)
        case .character("n"), .character("a"): form = Form()
        case .character("p"):
            guard let chosen else { return [] }
            note = "pausing…"
            return [.pauseJob(id: chosen.id, resume: false)]
        case .character("r"):
            guard let chosen else { return [] }
            note = "resuming…"
            return [.pauseJob(id: chosen.id, resume: true)]
        case .character("d"), .delete:
            confirmDelete = chosen
        case .character("R"):
            note = "loading…"
            return [.loadJobs]
        default: return nil
        }
        return []
    }

    private mutating func formKey(_ key: Key, now: Date) -> [Effect] {
        guard var open = form else { return [] }
        switch key {
        case .escape:
            form = nil
            return []
        case .tab: open.field = (open.field + 1) % 3
        case .backTab: open.field = (open.field + 2) % 3
        case .character(" ") where open.field == 2, .left where open.field == 2, .right where open.field == 2:
            open.recurring.toggle()
            open.schedule = Composer(open.recurring ? "0 9 * * *" : Self.tomorrowAtNine(now))
        case .enter:
            let message = open.message.string.trimmingCharacters(in: .whitespacesAndNewlines)
            let schedule = open.schedule.string.trimmingCharacters(in: .whitespaces)
            guard !message.isEmpty else {
                note = "a job needs a message (what to ask the agent)"
                return []
            }
            do {
                try JobSchedule.validate(schedule, type: open.recurring ? .recurring : .oneTime, now: now)
            } catch {
                note = "⚠ " + error.description
                return []
            }
            form = nil
            note = "creating…"
            return [.createJob(recurring: open.recurring, schedule: schedule, message: message)]
        default:
            if open.field == 0 { _ = open.message.edit(key) } else if open.field == 1 { _ = open.schedule.edit(key) }
        }
        form = open
        return []
    }

    static func tomorrowAtNine(_ now: Date) -> String {
        let day = Int(now.timeIntervalSince1970 / 86_400) + 1
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: Double(day) * 86_400 + 9 * 3600))
    }

    /// The panel's keys, for the help.
    public static let keys: [(key: String, does: String)] = [
        ("n", "new job"), ("p / r", "pause / resume"), ("d", "delete"), ("R", "reload"), ("Esc", "close"),
    ]
}

/// The triggers panel (`/triggers`): the formation's triggers, a trigger's template and
/// fields, and a form to fire one with JSON data, waiting for the answer or not.
public struct TriggersPanel: Sendable, Equatable {
    /// A trigger's template and the fields its data should have.
    public struct Detail: Sendable, Equatable {
        public var name: String
        public var template: String
        public var fields: [String]
        public init(name: String, template: String, fields: [String]) {
            self.name = name
            self.template = template
            self.fields = fields
        }
    }

    /// The form that fires a trigger: its data (checked as JSON before sending), sync or async.
    public struct Form: Sendable, Equatable {
        public var name: String
        public var data: Composer
        public var async = false

        /// The form for trigger `name`, with `data` to start from.
        public init(name: String, data: Composer) {
            self.name = name
            self.data = data
        }
    }

    public var names: [String] = []
    public var selected = 0
    public var note = "loading…"
    public var detail: Detail?
    public var form: Form?
    /// The last answer of a trigger fired from the panel (also added to the transcript).
    public var answer: String?

    /// An empty panel, loading.
    public init() {}

    mutating func key(_ key: Key) -> [Effect]? {
        if form != nil { return formKey(key) }
        let chosen = names.indices.contains(selected) ? names[selected] : nil
        switch key {
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(max(0, names.count - 1), selected + 1)
        case .enter:
            guard let chosen else { return [] }
            return [.loadTrigger(chosen)]
        case .character("f"):
            guard let chosen else { return [] }
            let fields = detail?.name == chosen ? detail?.fields ?? [] : []
            let data = "{" + fields.map { "\"\($0)\": \"\"" }.joined(separator: ", ") + "}"
            form = Form(name: chosen, data: Composer(data))
        case .character("R"):
            note = "loading…"
            return [.loadTriggers]
        default: return nil
        }
        return []
    }

    private mutating func formKey(_ key: Key) -> [Effect] {
        guard var open = form else { return [] }
        switch key {
        case .escape:
            form = nil
            return []
        case .tab, .backTab: open.async.toggle()
        case .enter:
            let typed = open.data.string.trimmingCharacters(in: .whitespacesAndNewlines)
            let data = typed.isEmpty ? "{}" : typed
            guard (try? JSONValue(parsing: data)) != nil else {
                note = "⚠ the data is not valid JSON"
                return []
            }
            form = nil
            note = open.async ? "firing…" : "firing, waiting for the answer…"
            return [.fireTrigger(name: open.name, data: data, async: open.async)]
        default: _ = open.data.edit(key)
        }
        form = open
        return []
    }

    /// The panel's keys, for the help.
    public static let keys: [(key: String, does: String)] = [
        ("Enter", "show the template"), ("f", "fire (Tab: wait or not)"), ("R", "reload"), ("Esc", "close"),
    ]
}
