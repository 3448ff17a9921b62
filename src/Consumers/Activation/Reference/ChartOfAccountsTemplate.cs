namespace BacBos.Consumers.Activation.Reference;

/// <summary>
/// The default small-business chart of accounts seeded for every tenant (seed §1.2 step 8): assets 1xxx,
/// liabilities 2xxx, equity 3xxx, revenue 4xxx, cost of sales 5xxx and operating expenses 6xxx.
/// Parents always precede their children.
/// </summary>
public static class ChartOfAccountsTemplate
{
    /// <summary>Account type of assets.</summary>
    public const string Asset = "asset";

    /// <summary>Account type of liabilities.</summary>
    public const string Liability = "liability";

    /// <summary>Account type of equity.</summary>
    public const string Equity = "equity";

    /// <summary>Account type of revenue.</summary>
    public const string Revenue = "revenue";

    /// <summary>Account type of expenses (including cost of sales).</summary>
    public const string Expense = "expense";

    /// <summary>The default chart, ordered by code.</summary>
    public static IReadOnlyList<AccountSeed> Default { get; } = Array.AsReadOnly<AccountSeed>(
    [
        new("1000", "Assets", Asset, null),
        new("1100", "Cash and bank", Asset, "1000"),
        new("1110", "Bank - operating account", Asset, "1100"),
        new("1120", "Bank - savings account", Asset, "1100"),
        new("1130", "Petty cash", Asset, "1100"),
        new("1140", "Stripe clearing", Asset, "1100"),
        new("1150", "Paystack clearing", Asset, "1100"),
        new("1160", "Other payment provider clearing", Asset, "1100"),
        new("1200", "Accounts receivable", Asset, "1000"),
        new("1300", "Inventory", Asset, "1000"),
        new("1400", "Prepaid expenses", Asset, "1000"),
        new("1500", "Input tax recoverable", Asset, "1000"),
        new("1600", "Equipment", Asset, "1000"),
        new("1610", "Accumulated depreciation", Asset, "1600"),

        new("2000", "Liabilities", Liability, null),
        new("2100", "Accounts payable", Liability, "2000"),
        new("2200", "Sales tax payable", Liability, "2000"),
        new("2300", "Payroll liabilities", Liability, "2000"),
        new("2400", "Accrued expenses", Liability, "2000"),
        new("2500", "Customer deposits and unearned revenue", Liability, "2000"),
        new("2600", "Loans payable", Liability, "2000"),

        new("3000", "Equity", Equity, null),
        new("3100", "Owner's capital", Equity, "3000"),
        new("3200", "Owner's drawings", Equity, "3000"),
        new("3300", "Retained earnings", Equity, "3000"),

        new("4000", "Revenue", Revenue, null),
        new("4100", "Product sales", Revenue, "4000"),
        new("4200", "Service revenue", Revenue, "4000"),
        new("4300", "Shipping income", Revenue, "4000"),
        new("4400", "Sales discounts and refunds", Revenue, "4000"),
        new("4900", "Other income", Revenue, "4000"),

        new("5000", "Cost of sales", Expense, null),
        new("5100", "Cost of goods sold", Expense, "5000"),
        new("5200", "Payment processing fees", Expense, "5000"),
        new("5300", "Shipping and fulfilment", Expense, "5000"),

        new("6000", "Operating expenses", Expense, null),
        new("6100", "Salaries and wages", Expense, "6000"),
        new("6200", "Rent", Expense, "6000"),
        new("6300", "Utilities", Expense, "6000"),
        new("6400", "Software and subscriptions", Expense, "6000"),
        new("6500", "Marketing and advertising", Expense, "6000"),
        new("6600", "Professional fees", Expense, "6000"),
        new("6700", "Bank charges", Expense, "6000"),
        new("6800", "Depreciation", Expense, "6000"),
        new("6900", "Travel", Expense, "6000"),
    ]);
}
