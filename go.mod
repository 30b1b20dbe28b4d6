module dpsdesk

go 1.24
