import Testing

/// The hostile-input bound can fail: quadratic work breaks it, linear work keeps under it.
@Suite struct WorkGrowthTests {
    static func pairs(_ count: Int) -> Int {
        var total = 0
        for outer in 0..<count {
            for inner in 0..<count { total &+= outer ^ inner }
        }
        return total
    }

    static func singles(_ count: Int) -> Int {
        var total = 0
        for index in 0..<(count * 400) { total &+= index ^ count }
        return total
    }

    @Test func quadraticWorkBreaksTheLinearBound() {
        var sink = 0
        let ratio = WorkGrowth.ratio(small: 400, large: 400 * WorkGrowth.factor) { sink &+= Self.pairs($0) }
        #expect(ratio > WorkGrowth.linearBound, "\(ratio) (\(sink))")
    }

    @Test func linearWorkKeepsUnderIt() {
        var sink = 0
        let ratio = WorkGrowth.ratio(small: 400, large: 400 * WorkGrowth.factor) { sink &+= Self.singles($0) }
        #expect(ratio < WorkGrowth.linearBound, "\(ratio) (\(sink))")
    }
}
