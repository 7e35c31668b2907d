// TrawlIngest
