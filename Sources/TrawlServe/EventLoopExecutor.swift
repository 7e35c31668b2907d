import NIOCore

/// Runs Swift tasks on one NIO event loop, the thread that also reads requests and writes
/// responses: a request's handler then starts on the thread that read it, and its response is
/// written by the thread that resumes it, instead of crossing to Swift's pool and back. The
/// handlers never block: every read runs on the reader pool's threads (`ReaderPool.read`), which
/// also build the answers, so the loop only parses requests and writes responses.
@available(macOS 15, *)
final class EventLoopExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
