import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A thread that only waits for stdin or the wake pipe (signals, resizes) to become readable
/// and says which; it never touches the terminal itself (ncurses is not thread-safe). After
/// each report it waits until the main actor has drained what was readable.
final class InputWatcher: @unchecked Sendable {
    enum Ready: Sendable { case input, wake, hangUp }

    private let lock = NSLock()
    private var stopped = false
    private let drained = DispatchSemaphore(value: 0)
    private var thread: Thread?

    /// Starts watching; `ready` is called on the watcher's thread, and must lead to
    /// ``drainedOnce()`` (except for `.hangUp`, after which the watcher ends).
    init(input: Int32, wake: Int32, ready: @escaping @Sendable (Ready) -> Void) {
        let thread = Thread { [unowned self] in
            var fds = [pollfd(fd: input, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
            while !self.isStopped {
                fds[0].revents = 0
                fds[1].revents = 0
                guard poll(&fds, 2, 200) > 0 else { continue }
                if (fds[0].revents | fds[1].revents) & Int16(POLLNVAL) != 0 { return }
                if fds[1].revents != 0 {
                    ready(.wake)
                    self.drained.wait()
                }
                if fds[0].revents & Int16(POLLIN | POLLHUP) != 0 {
                    if fds[0].revents & Int16(POLLIN) == 0 {   // the terminal went away
                        ready(.hangUp)
                        return
                    }
                    ready(.input)
                    self.drained.wait()
                }
            }
        }
        self.thread = thread
        thread.start()
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    /// What was readable has been read: watch again.
    func drainedOnce() { drained.signal() }

    func stop() {
        lock.withLock { stopped = true }
        drained.signal()
    }
}
