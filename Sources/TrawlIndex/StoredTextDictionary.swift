/// The preset dictionary that primes deflate for short English prose (format
/// `StoredText.Format.deflateWithDictionary`).
///
/// Deflate finds repeats only within the text it compresses; a typical report is about 1 KB, too
/// short to repeat much. Priming the stream with common words and phrases lets even the first
/// sentence refer back to them (about 10% smaller bodies on the Reuters articles). Hand-written:
/// common English words, business-news vocabulary, month and country names, header labels and
/// number shapes; the most frequent phrases come last, where references are shortest.
/// Never change these bytes: stored bodies depend on them. A new dictionary needs a new format.
enum StoredTextDictionary {
    static let version1: [UInt8] = Array(
        """
        Date: Places: Topics: Title: Author: Subject: From: To: Sent: http:// https:// www. .com .org
        0123456789 10 11 12 15 20 25 30 40 50 60 75 100 1,000 10,000 0.5 1.5 2.5 % $ -- ... ( ) " ' ; :
        Jan Feb Mar Apr Jun Jul Aug Sep Oct Nov Dec January February March April May June July August September October November December Monday Tuesday Wednesday Thursday Friday Saturday Sunday
        Britain British London Japan Japanese Tokyo China Chinese Germany German France French Canada Canadian Australia Brazil Mexico India Russia Soviet Europe European Community Washington New York America American Asia Africa Middle East
        million billion percent pct per cent thousand hundred dollars dlrs dollar yen sterling marks francs currency currencies prices price market markets trade trading traders exchange rate rates interest bank banks banking central reserve government governments minister ministry officials official sources source company companies corporation corp inc ltd co plc group subsidiary unit shares share stock stocks stake holders shareholders bonds bond debt loans loan credit investors investment capital assets profit profits loss losses net income revenue revenues sales earnings operating quarter year years month months week weeks day days first second third fourth quarterly annual results dividend agreement agreed acquisition acquire merger offer bid deal talks negotiations economic economy growth inflation budget deficit surplus tax taxes oil gas crude energy production output exports imports export import tonnes tons barrels wheat corn grain sugar coffee cocoa gold metal steel demand supply analysts analyst according spokesman statement announced announcement reported report reports expected expects estimated forecast increase increased increases decrease decline declined rise rose risen fell fall falling higher lower high low than about after before between during under over against since until through would could should will been have has had were was are is that which this these those there their they them with from into also other more most such some only when what where while because however including include includes new united states national international federal president chairman chief executive officer board director directors committee management policy plan plans program industry industrial business sector services system public private foreign domestic world major total average level levels period earlier ago last next end early late record value volume basis current further number part share last year this year next year
         the company said. the company said it  said in a statement. he said. they said. it said. according to  in the first quarter  in the second quarter  for the year  per share  a share  from a year earlier  compared with  the government  the ministry  the bank said  the United States  U.S.  of the  in the  to the  for the  on the  at the  and the  that the  with the  by the  from the  it was  it is  there is  there was  has been  have been  had been  will be  would be  could be  said the  said that  said it  said he  said they 
        """.utf8)
}
