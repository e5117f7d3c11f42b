"""Online judicial auctions (网络司法拍卖): reference price, lots, announcements, bidding, settlement."""
