// TrawlSearch
