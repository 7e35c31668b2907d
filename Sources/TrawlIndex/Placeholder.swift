// TrawlIndex
