module gointerview.local/drills

go 1.25
