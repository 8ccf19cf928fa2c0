package agents

// Personal flows: the money the payment firms count besides payments to
// merchants. iResearch's "China third-party mobile payment value" was
// 70.6% personal applications (transfers and red envelopes), 17.5% mobile
// finance (fund purchases) and 9.1% consumption in Q1 2017 (iResearch,
// iresearchchina.com/content/details7_34723.html; record/flows-iresearch.csv).
// The rules below say when a wallet's transfers or fund are live, how
// often a card-bound user uses them, and where a transfer lands.

// Launched says whether a service of a platform that launches on day from
// (a fund, transfers, lucky-money envelopes) is live on day d: from the
// launch day on. The launch is history (an episode's input: Yu'e Bao on 13
// June 2013, WeChat's envelopes on 26 Jan 2014), never fitted.
func Launched(d, from int) bool { return d >= from }

// PersonalFlowRate is the Poisson mean of a card-bound user's transfers
// (or fund purchases) a day, over the wallets whose service is live
// (FlowWallet picks which one each goes by):
//
//	λ = per_day · spending
//
// per_day is the shared behaviour (transfers.per_day, funds.per_day,
// fitted against the firms' mix of value, record/flows-iresearch.csv) and
// spending the season's multiplier on payments: iResearch names the
// Spring Festival as the quarter's peak of "red envelopes and
// transferring" (iresearchchina.com/content/details7_34723.html). 0 before
// the launch.
func PersonalFlowRate(perDay, spending float64, live bool) float64 {
	if !live || perDay <= 0 {
		return 0
	}
	return perDay * max(spending, 0)
}

// TransferReach is the part of a card-bound user's transfers by a wallet
// that are made, when a transfer needs someone to send it to who uses the
// wallet as money:
//
//	reach = 1 − ν + ν · b
//
// with b the wallet's card-bound users as a share of the population (the
// day before; a mean field, the same for every sender) and ν =
// transfers.network the part of transfers that need such a counterparty
// (ν = 0: every transfer is made, the rule before it). Why: a transfer is
// worth making to people who can spend or withdraw what they receive, so
// a payment network's person-to-person flows grow with the share of
// people on it (the network externality of payment systems: Katz and
// Shapiro 1985; for mobile money, Jack and Suri 2014, M-Pesa's transfers
// rising with its users' reach). The record's personal flows grew ×4.9
// from Q4 2015 to Q1 2017 while finance stayed flat and WeChat Pay's
// cards grew about ×1.5 (record/flows-iresearch.csv: iResearch's mix;
// docs/calibration.md, miss 2), so flows per user grew as the wallets
// spread, which a fixed rate cannot give.
func TransferReach(network, boundShare float64) float64 {
	if network <= 0 {
		return 1
	}
	return 1 - network + network*min(max(boundShare, 0), 1)
}

// FlowWallet picks the wallet one personal flow goes by, among the live
// wallets the user holds a card on (and, for a fund purchase, whose fund
// it holds): by the payments' multinomial logit (ChooseMethod) over their
// utilities (WalletUtility at the flow's amount, no subsidy), with no cash
// option, since a transfer or a purchase needs a wallet. A user's flows
// are its own, not each wallet's: one who holds two wallets moves as much
// money as one who holds one, and splits it by convenience and habit as
// it splits its payments. (Before, each wallet drew its own flows, so a
// multi-homer moved twice as much and the split followed the count of
// cards bound: docs/calibration.md, the fourth fit.)
func FlowWallet(utilities []float64, uniform float64) int {
	return ChooseMethod(utilities, uniform)
}

// TransferLandsInWallet says where a personal transfer to a friend goes:
// into the friend's wallet balance when the friend is registered on the
// platform (WeChat: "friends' transfers go into the change balance, which
// pays for taxis and top-ups", Lanzhou Evening News, 26 Jun 2014, record/
// flows-iresearch.csv), else to the friend's bank card, outside the model.
// Money in the wallet then pulls the friend's payments there
// (choice.balance) and, for a friend without a card, adoption
// (adoption.balance), as envelope money does.
func TransferLandsInWallet(recipientRegistered bool) bool { return recipientRegistered }
