import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Child processes with `posix_spawn` and `waitpid`, for the tests that need what Foundation's
/// `Process` does not give: tmux (a client whose server lives on, whose exit `Process` can
/// miss) and a pid to SIGKILL in the middle of a write.
public enum Spawn {
    /// glibc's POSIX_SPAWN_SETSID (spawn.h), which Swift's Glibc module leaves out.
    private static let spawnSetSID: Int32 = 0x80

    /// Starts `path` with `arguments` (after `path` itself as argv[0]); stdin is /dev/null,
    /// stdout and stderr go to the files named (/dev/null when nil); `environment` nil keeps
    /// this process's. With `terminal` (a pseudo-terminal's path, from ``openTerminal(width:height:)``)
    /// the child leads a session of its own with that terminal as its controlling one and its
    /// stdin, stdout and stderr, as a program started with no shell (`ssh -t host cmd`) does.
    /// The pid, or -1.
    public static func start(_ path: String, _ arguments: [String], environment: [String: String]? = nil,
                      stdout: String? = nil, stderr: String? = nil, terminal: String? = nil) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let terminal {
            // after setsid, the first terminal a session leader opens becomes its controlling one
            posix_spawn_file_actions_addopen(&actions, 0, terminal, O_RDWR, 0)
            posix_spawn_file_actions_adddup2(&actions, 0, 1)
            posix_spawn_file_actions_adddup2(&actions, 0, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_addopen(&actions, 2, stderr ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        }
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { envp?.forEach { free($0) } }
        // the child starts with no signal blocked and the default handlers: the test runner's
        // threads block some (SIGTERM among them), and a child would inherit that and ignore kill
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | (terminal == nil ? 0 : spawnSetSID)))
        var pid: pid_t = 0
        let started = envp.map { posix_spawn(&pid, path, &actions, &attributes, argv, $0) }
            ?? posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        return started == 0 ? pid : -1
    }

    /// A new pseudo-terminal of `width` × `height`: the file descriptor of its master side (what
    /// a terminal emulator reads and writes; close it when done) and the path of its slave side,
    /// for ``start(_:_:environment:stdout:stderr:terminal:)``. Nil when the system has none free.
    public static func openTerminal(width: Int = 80, height: Int = 24) -> (master: Int32, path: String)? {
        // posix_openpt, unlockpt and ptsname are not in Swift's Glibc module, nor are the Linux
        // ioctls they use: TIOCSPTLCK is _IOW('T', 0x31, int), TIOCGPTN _IOR('T', 0x30, unsigned int)
        let TIOCSPTLCK: UInt = 0x4004_5431, TIOCGPTN: UInt = 0x8004_5430
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        guard master >= 0 else { return nil }
        var unlock: Int32 = 0, number: UInt32 = 0
        guard ioctl(master, TIOCSPTLCK, &unlock) == 0, ioctl(master, TIOCGPTN, &number) == 0 else {
            close(master)
            return nil
        }
        var size = winsize(ws_row: UInt16(height), ws_col: UInt16(width), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
        return (master, "/dev/pts/\(number)")
    }

    /// Whether the process `pid` is stopped (job control), from `/proc`.
    public static func isStopped(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("T")
    }

    /// Waits for `pid`; its wait status (0: it exited with 0).
    public static func wait(_ pid: pid_t) -> Int32 {
        guard pid > 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    /// Runs and waits; the wait status.
    public static func run(_ path: String, _ arguments: [String], stdout: String? = nil) -> Int32 {
        wait(start(path, arguments, stdout: stdout))
    }
}
