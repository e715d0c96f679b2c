using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Chromium;
using OpenQA.Selenium.Support.UI;

namespace ActorChat.Clients.Tests;

/// <summary>Debian's Chromium, headless, driven through its own ChromeDriver (installed by ./test.sh).</summary>
public sealed class Browser : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ChromeDriver = "/usr/bin/chromedriver";
    private const int MinWindowWidth = 500;
    private const string PhoneUserAgent = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly ChromeDriverService _service;

    private Browser(ChromeDriverService service, ChromeDriver driver)
    {
        _service = service;
        Driver = driver;
    }

    public ChromeDriver Driver { get; }

    /// <summary>Opens <paramref name="page"/> in a window of <paramref name="width"/> × <paramref name="height"/> CSS pixels (a laptop's, unless a phone's is asked for).</summary>
    public static Browser Open(Uri page, int width = 1280, int height = 800)
    {
        if (!File.Exists(Chromium) || !File.Exists(ChromeDriver))
        {
            throw new InvalidOperationException($"{Chromium} and {ChromeDriver} are needed (Debian packages chromium and chromium-driver); ./test.sh installs them.");
        }

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage", $"--window-size={Math.Max(width, MinWindowWidth)},{height}");
        if (width < MinWindowWidth)
        {
            // Narrower than a window can be: a phone's screen, emulated (touch, no hover), as its user would see the page.
            options.EnableMobileEmulation(new ChromiumMobileEmulationDeviceSettings(PhoneUserAgent) { Width = width, Height = height, PixelRatio = 2, EnableTouchEvents = true });
        }

        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        driver.Navigate().GoToUrl(page);
        return new Browser(service, driver);
    }

    public IWebElement Find(string css) => Driver.FindElement(By.CssSelector(css));

    public void Type(string css, string text) => Find(css).SendKeys(text);

    /// <summary>Clicks the element once it is there; a list the page re-rendered meanwhile is looked up again.</summary>
    public void Click(string css) => Until(d =>
    {
        d.FindElement(By.CssSelector(css)).Click();
        return true;
    }, $"a clickable {css}");

    /// <summary>Waits until an element matching <paramref name="css"/> is on the page (the DOM is polled; the page has no other signal).</summary>
    public IWebElement WaitFor(string css) => Until(d => d.FindElements(By.CssSelector(css)).FirstOrDefault(), css);

    public IWebElement Until(Func<IWebDriver, IWebElement?> condition, string what) => Wait(d => condition(d)!, what);

    public void Until(Func<IWebDriver, bool> condition, string what, TimeSpan? deadline = null) => Wait(d => condition(d), what, deadline);

    private T Wait<T>(Func<IWebDriver, T> condition, string what, TimeSpan? deadline = null)
    {
        var limit = deadline ?? Deadline;
        var wait = new WebDriverWait(Driver, limit);
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException), typeof(NoSuchElementException));
        try
        {
            return wait.Until(condition);
        }
        catch (WebDriverTimeoutException ex)
        {
            var state = Driver.FindElements(By.Id("connection")).FirstOrDefault()?.Text;
            throw new TimeoutException($"Waited {limit.TotalSeconds} s for {what}; connection shows '{state}'.", ex);
        }
    }

    /// <summary>Signs in through the page's form and waits until the socket is open.</summary>
    public void SignIn(string user)
    {
        Type("#login-name", user);
        Click("#login-button");
        WaitFor("#connection[data-state='open']");
    }

    /// <summary>Creates or joins <paramref name="room"/> through the page's form and waits until it is open.</summary>
    public void JoinRoom(string room)
    {
        Type("#room-input", room);
        Click("#join-button");
        WaitFor($"#my-rooms li[data-room='{room}'][aria-current='true']");
    }

    /// <summary>
    /// Waits until the open room shows a message whose text is <paramref name="text"/> and returns its seq (message seqs
    /// have gaps where changes to the room's log sit, so tests find messages by what they say).
    /// </summary>
    public long SeqOf(string text)
    {
        var item = Until(d => d.FindElements(By.CssSelector("#messages li[data-seq]"))
            .FirstOrDefault(li => li.FindElements(By.CssSelector(".text")).FirstOrDefault()?.Text == text), $"the message '{text}'");
        return long.Parse(item.GetAttribute("data-seq")!, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The text of the first element matching <paramref name="css"/>, or null while there is none.</summary>
    public string? TextOf(string css) => Driver.FindElements(By.CssSelector(css)).FirstOrDefault()?.Text;

    /// <summary>Whether an element matching <paramref name="css"/> is on the page (shown or not).</summary>
    public bool Has(string css) => Driver.FindElements(By.CssSelector(css)).Count > 0;

    /// <summary>The seqs of the messages shown in the open room, top to bottom.</summary>
    public IReadOnlyList<long> ShownSeqs() =>
        [.. Driver.FindElements(By.CssSelector("#messages li[data-seq]")).Select(li => long.Parse(li.GetAttribute("data-seq")!, System.Globalization.CultureInfo.InvariantCulture))];

    public void Screenshot(string name)
    {
        // artifacts/ at the repository root is ignored by git; CI can pick the screenshots up there.
        var directory = Path.Combine(Repository.Root, "artifacts", "browser");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        Console.WriteLine($"screenshot: {path}");
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        _service.Dispose();
    }
}
