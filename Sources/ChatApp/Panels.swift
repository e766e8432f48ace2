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

/// The jobs panel (`/jobs`): the user's jobs; `n` opens the ``JobForm``, `d` a confirmation.
public struct JobsPanel: Sendable, Equatable {
    public var items: [JobItem] = []
    public var selection = ListSelection()
    public var status = LoadStatus.loading
    /// The line about the last action.
    public var note: Notice?

    /// An empty panel, loading.
    public init() {}

    /// The panel's keys, for the help.
    public static let keys: [(key: String, does: String)] = [
        ("n", "new job"), ("p / r", "pause / resume"), ("d", "delete"), ("R", "reload"), ("Esc", "close"),
    ]
}

/// The form that creates a job; the schedule is checked before anything is sent.
public struct JobForm: Sendable, Equatable {
    public enum Field: Sendable, Equatable, CaseIterable { case message, schedule, kind }

    public var message = LineEditor()
    public var schedule = LineEditor("0 9 * * *")
    public var recurring = true
    public var field = Field.message
    /// Why the last Enter was refused; the form is where it is said, and it goes with the form.
    public var problem: String?

    /// A new job's form: a daily cron schedule to start from.
    public init() {}

    static func tomorrowAtNine(_ now: Date) -> String {
        let day = Int(now.timeIntervalSince1970 / 86_400) + 1
        return ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(day) * 86_400 + 9 * 3600))
    }
}

/// The triggers panel (`/triggers`): the formation's triggers, a trigger's template and
/// fields; `f` opens the ``TriggerForm``.
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

    public var names: [String] = []
    public var selection = ListSelection()
    public var status = LoadStatus.loading
    public var note: Notice?
    public var detail: Detail?
    /// The last answer of a trigger fired from the panel.
    public var answer: String?

    /// An empty panel, loading.
    public init() {}

    /// The panel's keys, for the help.
    public static let keys: [(key: String, does: String)] = [
        ("Enter", "show the template"), ("f", "fire (Tab: wait or not)"), ("R", "reload"), ("Esc", "close"),
    ]
}

/// The form that fires a trigger: its data (checked as JSON before sending), sync or async.
public struct TriggerForm: Sendable, Equatable {
    public var name: String
    public var data: LineEditor
    public var async = false
    public var problem: String?

    /// The form for trigger `name`; its data starts as an object of the trigger's fields.
    public init(name: String, fields: [String]) {
        self.name = name
        data = LineEditor("{" + fields.map { "\"\($0)\": \"\"" }.joined(separator: ", ") + "}")
    }
}

extension AppState {
    mutating func jobsKey(_ key: Key, _ panel: JobsPanel) -> [Effect] {
        var open = panel
        open.note = open.note?.ending == .nextKey ? nil : open.note
        let chosen = open.selection.item(in: open.items)
        var effects: [Effect] = []
        if open.selection.key(key, count: open.items.count) {
        } else {
            switch key {
            case .escape:
                modal = nil
                return []
            case .character("n"), .character("a"):
                modal = .jobForm(JobForm(), open)
                return []
            case .character("p"), .character("r"):
                guard let chosen else { break }
                let resume = key == .character("r")
                open.note = Notice(resume ? "resuming…" : "pausing…", until: .replaced)
                effects = [.pauseJob(id: chosen.id, resume: resume)]
            case .character("d"), .delete:
                guard let chosen else { break }
                modal = .confirm(Confirmation(.deleteJob(chosen), returnTo: .jobs(open)))
                return []
            case .character("R"):
                open.status = .loading
                effects = [.loadJobs]
            default: break
            }
        }
        modal = .jobs(open)
        return effects
    }

    mutating func jobFormKey(_ key: Key, _ form: JobForm, _ panel: JobsPanel) -> [Effect] {
        var open = form
        open.problem = nil
        let fields = JobForm.Field.allCases
        switch key {
        case .escape:
            modal = .jobs(panel)
            return []
        case .tab, .down: open.field = fields[(fields.firstIndex(of: open.field)! + 1) % fields.count]
        case .backTab, .up: open.field = fields[(fields.firstIndex(of: open.field)! + fields.count - 1) % fields.count]
        case .character(" ") where open.field == .kind, .left where open.field == .kind, .right where open.field == .kind:
            open.recurring.toggle()
            open.schedule = LineEditor(open.recurring ? "0 9 * * *" : JobForm.tomorrowAtNine(now))
        case .enter:
            let message = open.message.string.trimmingCharacters(in: .whitespacesAndNewlines)
            let schedule = open.schedule.string.trimmingCharacters(in: .whitespaces)
            guard !message.isEmpty else {
                open.problem = "a job needs a message (what to ask the agent)"
                open.field = .message
                break
            }
            do {
                try JobSchedule.validate(schedule, type: open.recurring ? .recurring : .oneTime, now: now)
            } catch {
                open.problem = error.description
                open.field = .schedule
                break
            }
            var back = panel
            back.note = Notice("creating…", until: .replaced)
            modal = .jobs(back)
            return [.createJob(recurring: open.recurring, schedule: schedule, message: message)]
        default:
            switch open.field {
            case .message: _ = open.message.edit(key)
            case .schedule: _ = open.schedule.edit(key)
            case .kind: break
            }
        }
        modal = .jobForm(open, panel)
        return []
    }

    mutating func triggersKey(_ key: Key, _ panel: TriggersPanel) -> [Effect] {
        var open = panel
        let chosen = open.selection.item(in: open.names)
        var effects: [Effect] = []
        if open.selection.key(key, count: open.names.count) {
        } else {
            switch key {
            case .escape:
                if open.detail != nil {
                    open.detail = nil
                } else {
                    modal = nil
                    return []
                }
            case .enter:
                if let chosen { effects = [.loadTrigger(chosen)] }
            case .character("f"):
                guard let chosen else { break }
                let known = open.detail?.name == chosen
                modal = .triggerForm(TriggerForm(name: chosen, fields: known ? open.detail?.fields ?? [] : []), open)
                return known ? [] : [.loadTrigger(chosen)]   // its fields fill the data once known
            case .character("R"):
                open.status = .loading
                effects = [.loadTriggers]
            default: break
            }
        }
        modal = .triggers(open)
        return effects
    }

    mutating func triggerFormKey(_ key: Key, _ form: TriggerForm, _ panel: TriggersPanel) -> [Effect] {
        var open = form
        open.problem = nil
        switch key {
        case .escape:
            modal = .triggers(panel)
            return []
        case .tab, .backTab: open.async.toggle()
        case .enter:
            let typed = open.data.string.trimmingCharacters(in: .whitespacesAndNewlines)
            let data = typed.isEmpty ? "{}" : typed
            guard (try? JSONValue(parsing: data)) != nil else {
                open.problem = "the data is not valid JSON"
                break
            }
            var back = panel
            back.note = Notice(open.async ? "firing…" : "firing, waiting for the answer…", until: .replaced)
            back.answer = nil
            modal = .triggers(back)
            return [.fireTrigger(name: open.name, data: data, async: open.async)]
        default: _ = open.data.edit(key)
        }
        modal = .triggerForm(open, panel)
        return []
    }

    /// Changes the jobs panel wherever it is open (alone, under its form or a confirmation);
    /// whether it was open.
    @discardableResult
    mutating func inJobs(_ change: (inout JobsPanel) -> Void) -> Bool {
        switch modal {
        case .jobs(var panel): change(&panel); modal = .jobs(panel)
        case .jobForm(let form, var panel): change(&panel); modal = .jobForm(form, panel)
        case .confirm(var ask):
            guard case .jobs(var panel) = ask.returnTo else { return false }
            change(&panel)
            ask.returnTo = .jobs(panel)
            modal = .confirm(ask)
        default: return false
        }
        return true
    }

    /// Changes the triggers panel wherever it is open (alone or under its form); whether it was.
    @discardableResult
    mutating func inTriggers(_ change: (inout TriggersPanel) -> Void) -> Bool {
        switch modal {
        case .triggers(var panel): change(&panel); modal = .triggers(panel)
        case .triggerForm(let form, var panel): change(&panel); modal = .triggerForm(form, panel)
        default: return false
        }
        return true
    }
}
